// Finds the Electron binary without require('electron'), which would try to download it.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export function electronBinary(): string | null {
  const pkg = path.resolve('node_modules/electron');
  const pathFile = path.join(pkg, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : 'electron';
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? (existsSync(pathFile) ? path.join(pkg, 'dist') : null);
  if (dist === null) return null;
  const binary = path.join(dist, relative);
  return existsSync(binary) ? binary : null;
}
