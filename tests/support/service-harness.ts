// The service as the tests drive it: a fresh data folder and a folder for the admin's files per
// test, the test cipher in place of the OS keyring, file dialogs answered by the test, and an
// optional fixed clock. Call useServiceHarness() at the top of a test file; it registers the hooks.
// Options: the demo key manager for the file, a data folder the core has to create, the bound of
// one connection test. A second workstation (its own folder and cipher) is there for exports.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { CoreHost } from '../../src/main/core/ports';
import { createKeybridgeService, type KeybridgeService } from '../../src/main/core/service';
import { startDemoKeyManager, type DemoKeyManager, type DemoOptions } from '../../tools/demo-key-manager';
import { scriptedDialogs } from './scripted-dialogs';
import { TestCipher } from './test-cipher';

export interface ServiceHarnessOptions {
  /** Bound for one connection test, in milliseconds (default 5 s). */
  testTimeoutMs?: number;
  /** Starts the demo key manager once for the file (`harness.demo`); an object passes its options (a product preset, …). */
  demoKeyManager?: boolean | DemoOptions;
  /** false: the data folder does not exist when a test starts, so the core creates it (default true). */
  dataFolderExists?: boolean;
}

/** What one service may have besides the folder, cipher and dialogs: `at` fixes its clock; the host's other ports (log, setTheme, openStore, …). */
export type ServiceOverrides = { at?: string } & Partial<Omit<CoreHost, 'dataDir' | 'cipher' | 'dialogs' | 'now'>>;

export interface ServiceHarness {
  /** The data folder of the current test. */
  readonly dir: string;
  /** A folder for files the admin picks or saves (exports, key files). */
  readonly files: string;
  readonly cipher: TestCipher;
  /** File dialogs answered by the test: the next path to open, the next path to save to. */
  readonly dialogs: ReturnType<typeof scriptedDialogs>;
  /** The demo key manager of the file (only with the demoKeyManager option). */
  readonly demo: DemoKeyManager;
  /** A service on the current data folder; `at` fixes its clock (or pass overrides). */
  service(at?: string | ServiceOverrides): KeybridgeService;
  /** A service on another workstation: a second data folder and its own cipher (for this test), the same dialogs. */
  otherWorkstation(): KeybridgeService;
  /** Everything written to the data folder and the files folder, as one text (to prove a secret is absent). */
  allWritten(): string;
}

export function useServiceHarness(options: ServiceHarnessOptions = {}): ServiceHarness {
  const dialogs = scriptedDialogs();
  const testTimeoutMs = options.testTimeoutMs ?? 5_000;
  let dir = '';
  let files = '';
  let cipher = new TestCipher();
  let other: { dir: string; cipher: TestCipher } | null = null;
  let made: string[] = [];
  let demo: DemoKeyManager | undefined;

  if (options.demoKeyManager) {
    const demoOptions = options.demoKeyManager === true ? {} : options.demoKeyManager;
    beforeAll(async () => {
      demo = await startDemoKeyManager(demoOptions);
    });
    afterAll(() => demo?.close());
  }
  beforeEach(() => {
    const data = mkdtempSync(path.join(os.tmpdir(), 'keybridge-data-'));
    dir = options.dataFolderExists === false ? path.join(data, 'data') : data;
    files = mkdtempSync(path.join(os.tmpdir(), 'keybridge-files-'));
    cipher = new TestCipher();
    other = null;
    made = [data, files];
  });
  afterEach(() => {
    for (const folder of made) rmSync(folder, { recursive: true, force: true });
  });

  return {
    get dir() {
      return dir;
    },
    get files() {
      return files;
    },
    get cipher() {
      return cipher;
    },
    dialogs,
    get demo() {
      if (!options.demoKeyManager) throw new Error('useServiceHarness({ demoKeyManager: true }) starts the demo key manager.');
      if (!demo) throw new Error('The demo key manager starts in beforeAll: use it inside a test or a hook.');
      return demo;
    },
    service: (overrides?: string | ServiceOverrides) => {
      const { at, ...host } = typeof overrides === 'string' ? { at: overrides } : (overrides ?? {});
      return createKeybridgeService({ dataDir: dir, cipher, dialogs, version: '0.1.0', ...(at ? { now: () => new Date(at) } : {}), ...host }, { testTimeoutMs });
    },
    otherWorkstation: () => {
      if (!other) {
        other = { dir: mkdtempSync(path.join(os.tmpdir(), 'keybridge-other-')), cipher: new TestCipher() };
        made.push(other.dir);
      }
      return createKeybridgeService({ dataDir: other.dir, cipher: other.cipher, dialogs, version: '0.1.0' }, { testTimeoutMs });
    },
    allWritten: () => [dir, files].flatMap((d) => readdirSync(d).map((f) => readFileSync(path.join(d, f), 'utf8'))).join('\n'),
  };
}
