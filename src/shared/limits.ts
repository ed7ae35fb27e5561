// Limits and patterns shared by the window, main and the CLI. No zod here: the CLI and the core read
// it without loading the contract's schemas.
/** Limits shared by the form (for early messages), main (for enforcement) and the CLI. */
export const LIMITS = {
  name: 100,
  serverAddress: 2048,
  /** Same bound as a token file (64 KiB). */
  apiToken: 64 * 1024,
  /** A key file (token, access key pair, STA key): 64 KiB. */
  keyFile: 64 * 1024,
  /** An OpenAPI specification, read or downloaded: 5 MiB. */
  openApiSpec: 5 * 1024 * 1024,
} as const;

/** A public-key pin as Keybridge prints and takes it: "sha256/" and the base64 SHA-256 of the SPKI. */
export const SPKI_PIN = /^sha256\/[A-Za-z0-9+/]{43}=$/;
