// Every command the demo key manager prints works when pasted: for each product, the demo is
// started as `npm run demo:key-manager -- --preset <id>` would start it, and the command it prints
// runs as printed (`npx keybridge test ...`, the built CLI) and passes.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { PRESET_IDS } from '../../src/shared/presets';
import { demoCommand, startDemoKeyManager } from '../../tools/demo-key-manager';

const run = promisify(execFile);

for (const preset of PRESET_IDS) {
  test(`the demo's printed command passes against the ${preset} demo`, async () => {
    const demo = await startDemoKeyManager({ port: 0, preset });
    try {
      const [command, ...args] = demoCommand(demo);
      expect(command).toBe('npx');
      const { stdout } = await run(command as string, args, { timeout: 60_000, shell: process.platform === 'win32' });
      expect(stdout).toContain('Connection successful');
      expect(stdout).not.toContain(demo.token);
    } finally {
      await demo.close();
    }
  });
}
