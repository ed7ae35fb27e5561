// What the command line (src/cli) uses of the core, in one place: the connection test and what it
// needs to read its inputs the way the window's service does. A dependency-cruiser rule keeps the
// CLI to this module, so a change inside the core shows here before it reaches the CLI.
export { checkHeaderName, type AuthSpec } from './connection-test/auth-methods';
export { visibleControls } from './connection-test/redact';
export { runConnectionTest, type ClientCertificate } from './connection-test/run-test';
export { readBoundedFile } from './files/read-bounded';
export { atServerOrigin, downloadOpenApi, specConnectionFor } from './openapi/download-spec';
export { readOpenApi } from './openapi/read-spec';
export { printable } from './printable';
export { parseKeyFile } from './secrets/token-file';
export { checkApiToken } from './secrets/token-rules';
export { checkProxySetting } from './trust/certificate-files';
