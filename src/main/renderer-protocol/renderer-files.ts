// The window's page is served from a privileged custom scheme, app://keybridge/, instead of
// file://: the page then has an origin of its own and none of file://'s extra privileges (turned off
// in packaged builds by the GrantFileProtocolExtraPrivileges fuse). This maps a request to a file of
// the built renderer, and refuses anything outside it. Pure: tested under Node.
import path from 'node:path';

export const RENDERER_SCHEME = 'app';
export const RENDERER_HOST = 'keybridge';
export const RENDERER_ORIGIN = `${RENDERER_SCHEME}://${RENDERER_HOST}`;
export const RENDERER_URL = `${RENDERER_ORIGIN}/index.html`;

/** Content types of the files a built renderer has. */
export const RENDERER_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** The renderer file a request names, with its content type; null for anything else. */
export function rendererFile(url: string, root: string): { file: string; type: string } | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${RENDERER_SCHEME}:` || parsed.host !== RENDERER_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  const base = path.resolve(root);
  const file = path.resolve(base, `.${pathname === '/' ? '/index.html' : pathname}`);
  if (!file.startsWith(base + path.sep)) return null;
  const type = RENDERER_TYPES[path.extname(file).toLowerCase()];
  return type ? { file, type } : null;
}
