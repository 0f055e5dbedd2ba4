import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

export interface StaticServer {
  /** The site's address, with a trailing slash. */
  url: string;
  /** Requests served so far, by path. */
  requests: string[];
  /** Stops serving and cuts every open connection: from now on the host is unreachable. */
  close(): Promise<void>;
}

/**
 * Serves the built site from `root` as a plain static host does that cannot set headers (GitHub Pages): no
 * Cross-Origin-Opener-Policy or -Embedder-Policy, whatever `headers` adds. For tests of the service worker.
 */
export async function serveStatic(root: string, headers: Record<string, string> = {}): Promise<StaticServer> {
  const base = resolve(root);
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://host').pathname);
    requests.push(path);
    let file = normalize(join(base, path.endsWith('/') ? path + 'index.html' : path));
    if (!file.startsWith(base)) file = join(base, 'missing');
    let size: number;
    try {
      const stat = statSync(file);
      if (!stat.isFile()) throw new Error('not a file');
      size = stat.size;
    } catch {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    response.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Length': size, 'Cache-Control': 'no-cache', ...headers });
    createReadStream(file).pipe(response);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise<void>((done) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
  };
}

/** The Content-Security-Policy the lab recommends (deploy/csp.txt, one line). */
export const RECOMMENDED_CSP = readFileSync(resolve('deploy/csp.txt'), 'utf8').trim();

/**
 * Serves the built site (dist/) the way a strict static host would: cross-origin isolation (for WASM threads) and
 * the given Content-Security-Policy on every response. `origin` has no trailing slash.
 */
export interface BuiltSiteServer extends StaticServer {
  origin: string;
}

export async function serveBuiltSite(csp: string, root = resolve('dist')): Promise<BuiltSiteServer> {
  const server = await serveStatic(root, {
    'Content-Security-Policy': csp,
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
    'X-Content-Type-Options': 'nosniff',
  });
  return { ...server, origin: server.url.replace(/\/$/, '') };
}
