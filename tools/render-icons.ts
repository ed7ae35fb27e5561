// Renders the app icon set from resources/icon.svg (48 px and up) and resources/icon-small.svg
// (16 to 32 px, drawn on whole pixels) with Chromium: resources/icons/<n>x<n>.png for Linux, and
// resources/icon.png (1024 px) from which electron-builder makes the Windows .ico and macOS .icns.
// Run after changing an SVG: `npx tsx tools/render-icons.ts`, then look at test-results/icon-preview.png.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const RESOURCES = path.resolve(import.meta.dirname, '../resources');
const SIZES = [16, 24, 32, 48, 64, 128, 256, 512];
const svg = (name: string): string => `data:image/svg+xml;base64,${readFileSync(path.join(RESOURCES, name)).toString('base64')}`;

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ deviceScaleFactor: 1 });
  const render = async (source: string, size: number, file: string): Promise<void> => {
    await page.setContent(`<body style="margin:0;background:transparent"><img id="i" src="${source}" width="${size}" height="${size}" style="display:block"></body>`);
    await page.locator('#i').screenshot({ path: file, omitBackground: true });
  };
  for (const size of SIZES) await render(svg(size <= 32 ? 'icon-small.svg' : 'icon.svg'), size, path.join(RESOURCES, 'icons', `${size}x${size}.png`));
  await render(svg('icon.svg'), 1024, path.join(RESOURCES, 'icon.png'));
  // A preview sheet to look at: every size at 1:1 on light and dark backgrounds.
  const cells = SIZES.map((s) => `<img src="icons/${s}x${s}.png" width="${s}" height="${s}">`).join('');
  await page.goto(`file://${RESOURCES}/`);
  await page.setContent(
    `<body style="margin:0;font:12px sans-serif"><div style="display:flex;gap:16px;align-items:end;padding:16px;background:#f3f4f6">${cells}</div>` +
      `<div style="display:flex;gap:16px;align-items:end;padding:16px;background:#1e1f22">${cells}</div></body>`,
  );
  await page.setViewportSize({ width: 1180, height: 1120 });
  await page.locator('img').evaluateAll((images) => Promise.all(images.map((i) => (i as { decode(): Promise<void> }).decode())));
  await page.screenshot({ path: path.resolve(RESOURCES, '../test-results/icon-preview.png'), fullPage: false, clip: { x: 0, y: 0, width: 1180, height: 1100 } });
} finally {
  await browser.close();
}
console.log(`icons written to ${path.relative(process.cwd(), RESOURCES)}`);
