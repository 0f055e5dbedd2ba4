import { readdirSync, readFileSync, statSync } from 'node:fs';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { findBinary, startCaddy, startNginx, type RunningHost } from './deploy-hosts';
import { watchErrors } from './helpers';

// The deploy/ configs, run by the real servers against the built site. nginx is required in CI (.ci/run installs
// the Debian package); Caddy is checked where it is installed.
const NGINX = findBinary('nginx', '/usr/sbin/nginx');
const CADDY = findBinary('caddy', '/usr/bin/caddy');

const asset = (pattern: RegExp) => {
  const name = readdirSync('dist/assets').find((f) => pattern.test(f));
  if (!name) throw new Error(`dist/assets has no file like ${pattern}`);
  return `assets/${name}`;
};

/** What every host must send for the lab: isolation headers, types, caching, compression. */
async function checkHeaders(request: APIRequestContext, url: string): Promise<void> {
  const get = async (path: string, gzip = false) => {
    const response = await request.get(url + path, { headers: gzip ? { 'Accept-Encoding': 'gzip' } : {} });
    expect(response.status(), path).toBe(200);
    const headers = response.headers();
    expect(headers['cross-origin-opener-policy'], path).toBe('same-origin');
    expect(headers['cross-origin-embedder-policy'], path).toBe('require-corp');
    return headers;
  };
  const page = await get('');
  expect(page['content-type']).toMatch(/^text\/html/);
  expect(page['cache-control']).toBe('no-cache');
  const wasm = await get(asset(/^tfjs-backend-wasm-simd-.*\.wasm$/));
  expect(wasm['content-type']).toBe('application/wasm');
  expect(wasm['cache-control']).toBe('public, max-age=31536000, immutable');
  const main = await get(asset(/^main-.*\.js$/), true);
  expect(main['content-type']).toMatch(/javascript/);
  expect(main['content-encoding']).toMatch(/gzip|zstd/);
  expect(main['cache-control']).toBe('public, max-age=31536000, immutable');
  const worker = await get('sw.js');
  expect(worker['content-type']).toMatch(/javascript/);
  expect(worker['cache-control']).toBe('no-cache');
  expect((await get('manifest.webmanifest'))['content-type']).toMatch(/^application\/manifest\+json/);
  // The MNIST files are gzip already: served as they are, not compressed again.
  const data = await get('mnist/train-labels.u8z', true);
  expect(data['content-encoding']).toBeUndefined();
  expect(data['cache-control']).toBe('no-cache');
  const missing = await request.get(url + 'no-such-file.js');
  expect(missing.status()).toBe(404);
  expect(missing.headers()['cross-origin-embedder-policy']).toBe('require-corp');
}

for (const [name, binary, start] of [
  ['nginx', NGINX, startNginx],
  ['Caddy', CADDY, startCaddy],
] as const) {
  test.describe(`deploy/ on ${name}`, () => {
    // These start a real nginx or Caddy on dist/: system packages, like Chromium (README, .ci/run). A missing one
    // fails here with the command that installs it, never skips.
    let host: RunningHost;
    test.beforeAll(async () => {
      if (!binary) throw new Error(`${name} is not installed: apt-get install -y nginx caddy (as .ci/run does)`);
      host = await start(binary, 'dist');
    });
    test.afterAll(async () => {
      await host?.stop();
    });

    test(`${name} serves the lab with the isolation headers, the right types, caching and compression`, async ({ request }) => {
      await checkHeaders(request, host.url);
    });

    test(`the lab from ${name} is cross-origin isolated on the first load and loads its data`, async ({ page }) => {
      const errors = watchErrors(page);
      await page.goto(host.url + '#/dataset');
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
      await expect(page.getByTestId('backend')).toHaveText(/WebAssembly|WebGL|WebGPU|CPU/);
      await expect(page.getByTestId('dataset-counts')).toHaveText(/60,000\s+training/, { timeout: 60_000 });
      expect(errors).toEqual([]);
    });
  });
}

test('_headers (Netlify, Cloudflare Pages) and the Caddyfile set the isolation headers nginx sets', () => {
  const nginx = readFileSync('deploy/nginx.conf', 'utf8');
  const headersFile = readFileSync('deploy/_headers', 'utf8');
  const caddy = readFileSync('deploy/Caddyfile', 'utf8');
  for (const [header, value] of [
    ['Cross-Origin-Opener-Policy', 'same-origin'],
    ['Cross-Origin-Embedder-Policy', 'require-corp'],
  ]) {
    expect(nginx).toContain(`add_header ${header} ${value} always;`);
    expect(headersFile).toMatch(new RegExp(`^/\\*\\n(  .*\\n)*  ${header}: ${value}$`, 'm'));
    expect(caddy).toMatch(new RegExp(`^\\t\\t${header} ${value}$`, 'm'));
  }
  // The build puts _headers into the published folder.
  expect(readFileSync('dist/_headers', 'utf8')).toBe(headersFile);
});

/** What a first visit downloads, by kind: the app (code, WASM, page, icons), the shipped model, the MNIST files. */
interface Transfer {
  app: number;
  model: number;
  data: number;
  files: Record<string, number>;
}

test.describe('a first visit', () => {
  test.use({ serviceWorkers: 'allow' });
  // Served by a real nginx (a system package, see above): a missing one fails in beforeAll, never skips.
  let host: RunningHost;
  test.beforeAll(async () => {
    if (!NGINX) throw new Error('nginx is not installed: apt-get install -y nginx (as .ci/run does)');
    host = await startNginx(NGINX, 'dist');
  });
  test.afterAll(async () => {
    await host?.stop();
  });

  test('from nginx downloads at most 2 MB of app (compressed) besides the model and MNIST, service worker precache included, and MNIST once', async ({ page, context }) => {
    test.setTimeout(180_000);
    const transfer: Transfer = { app: 0, model: 0, data: 0, files: {} };
    // Every finished request of the page, its workers and the service worker: bytes on the wire (headers + body).
    context.on('requestfinished', async (request) => {
      const url = new URL(request.url());
      if (!url.protocol.startsWith('http')) return; // blob: workers of the threaded WASM backend
      const sizes = await request.sizes();
      const path = url.pathname;
      const bytes = sizes.responseBodySize + sizes.responseHeadersSize;
      const kind = path.startsWith('/mnist/') ? 'data' : path.startsWith('/model/') ? 'model' : 'app';
      transfer[kind] += bytes;
      transfer.files[path] = (transfer.files[path] ?? 0) + bytes;
    });
    await page.goto(host.url + '#/');
    await expect(page.getByRole('status').filter({ hasText: 'Digit Lab now works offline' })).toBeVisible({ timeout: 120_000 });
    const mb = (n: number) => `${(n / 1e6).toFixed(2)} MB`;
    const report = `first visit from nginx: app ${mb(transfer.app)}, model ${mb(transfer.model)}, MNIST ${mb(transfer.data)}\n${Object.entries(transfer.files)
      .sort((a, b) => b[1] - a[1])
      .map(([path, bytes]) => `  ${mb(bytes).padStart(9)}  ${path}`)
      .join('\n')}`;
    console.log(report);
    test.info().annotations.push({ type: 'transfer', description: report });
    expect(transfer.app).toBeLessThanOrEqual(2_000_000);
    // The data files cross the network once (the service worker adopts the page's copy), headers aside.
    const mnistBytes = readdirSync('dist/mnist').reduce((sum, f) => sum + statSync(`dist/mnist/${f}`).size, 0);
    expect(transfer.data).toBeGreaterThanOrEqual(mnistBytes);
    expect(transfer.data).toBeLessThan(mnistBytes + 10_000);
  });
});
