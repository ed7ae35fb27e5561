// The service as the tests drive it: a fresh data folder and a folder for the admin's files per
// test, the test cipher in place of the OS keyring, file dialogs answered by the test, and an
// optional fixed clock. Call useServiceHarness() at the top of a test file; it registers the hooks.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { createKeybridgeService, type KeybridgeService } from '../../src/main/core/service';
import { scriptedDialogs } from './scripted-dialogs';
import { TestCipher } from './test-cipher';

export interface ServiceHarness {
  /** The data folder of the current test. */
  readonly dir: string;
  /** A folder for files the admin picks or saves (exports, key files). */
  readonly files: string;
  readonly cipher: TestCipher;
  /** File dialogs answered by the test: the next path to open, the next path to save to. */
  readonly dialogs: ReturnType<typeof scriptedDialogs>;
  /** A service on the current data folder; `at` fixes its clock. */
  service(at?: string): KeybridgeService;
  /** Everything written to the data folder and the files folder, as one text (to prove a secret is absent). */
  allWritten(): string;
}

export function useServiceHarness(options: { testTimeoutMs?: number } = {}): ServiceHarness {
  const dialogs = scriptedDialogs();
  let dir = '';
  let files = '';
  let cipher = new TestCipher();
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'keybridge-records-'));
    files = mkdtempSync(path.join(os.tmpdir(), 'keybridge-files-'));
    cipher = new TestCipher();
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(files, { recursive: true, force: true });
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
    service: (at?: string) =>
      createKeybridgeService({ dataDir: dir, cipher, dialogs, version: '0.1.0', ...(at ? { now: () => new Date(at) } : {}) }, { testTimeoutMs: options.testTimeoutMs ?? 5_000 }),
    allWritten: () => [dir, files].flatMap((d) => readdirSync(d).map((f) => readFileSync(path.join(d, f), 'utf8'))).join('\n'),
  };
}
