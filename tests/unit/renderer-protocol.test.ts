// The window's page on app://keybridge/: only files of the built renderer, nothing outside it.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RENDERER_URL, rendererFile } from '../../src/main/renderer-protocol/renderer-files';

const root = path.resolve('/opt/keybridge/out/renderer');

describe('app://keybridge/', () => {
  it.each([
    [RENDERER_URL, 'index.html', 'text/html; charset=utf-8'],
    ['app://keybridge/', 'index.html', 'text/html; charset=utf-8'],
    ['app://keybridge/assets/index-4OFXjaZ9.js', 'assets/index-4OFXjaZ9.js', 'text/javascript; charset=utf-8'],
    ['app://keybridge/assets/index-DAA8nzAy.css?v=1#x', 'assets/index-DAA8nzAy.css', 'text/css; charset=utf-8'],
  ])('%s serves %s', (url, file, type) => {
    expect(rendererFile(url, root)).toEqual({ file: path.join(root, file), type });
  });

  it.each([
    'app://keybridge/../main/index.js',
    'app://keybridge/%2e%2e/%2e%2e/package.json',
    'app://keybridge/assets/../../../../etc/passwd.json',
  ])('dot segments never leave the renderer: %s', (url) => {
    // The URL parser resolves them at the root, so the file asked for is looked up inside it (and is not there).
    const found = rendererFile(url, root);
    expect(found === null || found.file.startsWith(root + path.sep)).toBe(true);
  });

  it.each([
    ['an encoded slash out of it', 'app://keybridge/assets/..%2f..%2fmain%2findex.js'],
    ['a backslash', 'app://keybridge/assets/..\\..\\main\\index.js'],
    ['a NUL byte', 'app://keybridge/index.html%00.js'],
    ['another host', 'app://elsewhere/index.html'],
    ['another scheme', 'file:///opt/keybridge/out/renderer/index.html'],
    ['a type the renderer has none of', 'app://keybridge/assets/tool.exe'],
    ['malformed escapes', 'app://keybridge/%E0%A4%A.js'],
  ])('refuses %s', (_what, url) => {
    expect(rendererFile(url, root)).toBeNull();
  });
});
