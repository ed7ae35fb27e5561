// The layer boundaries of DESIGN.md ("Architecture"), enforced on every `npm test` (lint step).
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-never-imports-electron',
      comment: 'src/main/core runs under plain Node (vitest, CLI): Electron capabilities arrive as ports.',
      severity: 'error',
      from: { path: '^src/main/core/' },
      to: { path: '^electron$|^electron/|^electron-store$|node_modules/electron(-store)?/' },
    },
    {
      name: 'core-does-not-reach-the-glue',
      comment: 'The core is handed its adapters; it never imports the Electron glue around it.',
      severity: 'error',
      from: { path: '^src/main/core/' },
      to: { path: '^src/main/(?!core/)|^src/(preload|renderer|cli)/' },
    },
    {
      name: 'shared-is-pure',
      comment: 'src/shared is the contract: pure TypeScript plus zod; no node, no DOM libraries, no other layer.',
      severity: 'error',
      from: { path: '^src/shared/' },
      to: { pathNot: '^src/shared/|node_modules/zod/' },
    },
    {
      name: 'renderer-talks-only-through-the-contract',
      comment: 'The window reaches main only through window.keybridge; it imports no main, preload or node code.',
      severity: 'error',
      from: { path: '^src/renderer/' },
      to: { path: '^src/(main|preload|cli)/|^electron$|node_modules/electron/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'renderer-store-is-the-only-api-caller',
      comment: "Components act through the store (src/renderer/store/); only it calls main's API, so every call has one place that marks the window busy and applies only what main confirmed.",
      severity: 'error',
      from: { path: '^src/renderer/', pathNot: '^src/renderer/store/' },
      to: { path: '^src/renderer/api\\.ts$' },
    },
    {
      name: 'renderer-no-node-builtins',
      severity: 'error',
      from: { path: '^src/renderer/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'preload-exposes-only-the-contract',
      comment: 'The sandboxed preload may use electron and src/shared, nothing else.',
      severity: 'error',
      from: { path: '^src/preload/' },
      to: { pathNot: '^src/shared/|^electron$|node_modules/electron/' },
    },
    {
      name: 'cli-reaches-the-core-through-its-facade',
      comment: 'The CLI uses the core only through src/main/core/cli-facade.ts, so what it depends on is listed in one place.',
      severity: 'error',
      from: { path: '^src/cli/' },
      to: { path: '^src/main/core/', pathNot: '^src/main/core/cli-facade\\.ts$' },
    },
    {
      name: 'cli-uses-the-core-headless',
      severity: 'error',
      from: { path: '^src/cli/' },
      to: { path: '^electron$|node_modules/electron/|^src/main/(?!core/)|^src/(preload|renderer)/' },
    },
    {
      name: 'app-never-imports-tests-or-tools',
      comment: 'Test harnesses (the loopback bridge, test ciphers) and dev tools are never shipped.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(tests|tools)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: { pathNot: '^src/renderer/store/' },
      to: { circular: true },
    },
    {
      name: 'no-circular-in-the-store-at-run-time',
      comment: "The store's slices name the whole state's type (zustand's slices pattern): a cycle of type-only imports, erased at build time, is allowed there and only there.",
      severity: 'error',
      from: { path: '^src/renderer/store/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.node.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
