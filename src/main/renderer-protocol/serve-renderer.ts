// Registers app:// (privileged as a standard, secure scheme: an origin of its own, no CORS reads
// from other origins) and serves the built renderer from it.
import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { RENDERER_SCHEME, rendererFile } from './renderer-files';

/** Must run before the app is ready. */
export function registerRendererScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: RENDERER_SCHEME, privileges: { standard: true, secure: true } }]);
}

/** Serves files of `root` (the built renderer) on app://keybridge/. Runs once the app is ready. */
export function serveRenderer(root: string): void {
  protocol.handle(RENDERER_SCHEME, async (request) => {
    const found = request.method === 'GET' ? rendererFile(request.url, root) : null;
    if (!found) return new Response('Not found', { status: 404 });
    try {
      return new Response(await readFile(found.file), { headers: { 'content-type': found.type, 'x-content-type-options': 'nosniff' } });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}
