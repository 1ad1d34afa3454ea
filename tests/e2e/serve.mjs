// A static server for dist/ on loopback, also under a sub-path, for the end-to-end tests.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json',
  '.webmanifest': 'application/manifest+json', '.png': 'image/png', '.txt': 'text/plain',
};

/** Serves `root` at `/` and at `prefix`; resolves to { url, close }. */
export function serve(root, prefix = '/') {
  const server = http.createServer((req, res) => {
    let p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (prefix !== '/' && p.startsWith(prefix)) p = '/' + p.slice(prefix.length);
    if (p.endsWith('/')) p += 'index.html';
    const file = path.join(root, path.normalize(p).replace(/^(\.\.[/\\])+/, ''));
    if (!file.startsWith(path.resolve(root)) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ origin: `http://127.0.0.1:${port}`, url: `http://127.0.0.1:${port}${prefix}`, close: () => server.close() });
    });
  });
}

/** The release build the end-to-end tests use. */
export const dist = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../dist');

/** Runs `body(server)` with `root` (dist/ by default) served at `prefix`; each server is a new origin. */
export async function served(body, { prefix = '/', root = dist } = {}) {
  const server = await serve(root, prefix);
  try { return await body(server); } finally { server.close(); }
}
