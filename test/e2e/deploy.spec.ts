import { readdirSync, readFileSync } from 'node:fs';
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
    test.skip(!binary && !(name === 'nginx' && process.env.CI), `${name} is not installed`);
    let host: RunningHost;
    test.beforeAll(async () => {
      if (!binary) throw new Error(`${name} is not installed (CI installs nginx: see .ci/run)`);
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
