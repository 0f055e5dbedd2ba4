import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { SMALL_SPEC } from '../../src/model/spec';
import { watchErrors } from './helpers';
import { serveStatic, type StaticServer } from './static-server';

// These tests are about the service worker: let it run (the other specs block it, so that what they test does not
// depend on when it takes charge).
test.use({ serviceWorkers: 'allow' });

// The built site on a host like GitHub Pages: plain files, no COOP/COEP headers, and one that can be switched off.
// Each test gets its own copy of the site, so that one can publish a new version.
let server: StaticServer;
let site: string;
test.beforeEach(async () => {
  site = mkdtempSync(join(tmpdir(), 'digit-lab-site-'));
  cpSync('dist', site, { recursive: true });
  server = await serveStatic(site);
});
test.afterEach(async () => {
  await server.close();
  rmSync(site, { recursive: true, force: true });
});

/** Publishes a "new version" of the site: another page title, and a service worker whose precache says so. */
function publishNewVersion(): void {
  const index = join(site, 'index.html');
  writeFileSync(index, readFileSync(index, 'utf8').replace('<title>Digit Lab', '<title>Digit Lab (new version)'));
  const sw = join(site, 'sw.js');
  const text = readFileSync(sw, 'utf8');
  const changed = text.replace(/"revision":"([0-9a-f]+)","url":"index.html"/, '"revision":"00000000000000000000000000000001","url":"index.html"');
  expect(changed).not.toBe(text);
  writeFileSync(sw, changed);
}

const SMALL_QUERY = `?model=${encodeURIComponent(JSON.stringify(SMALL_SPEC))}`;

const ROUTES = [
  ['', 'Digit Lab'],
  ['dataset', 'Dataset'],
  ['augmentation', 'Augmentation'],
  ['model', 'Model'],
  ['inside', 'Inside the network'],
  ['draw', 'Draw'],
  ['training', 'Training'],
] as const;

/** The first visit: the lab installs itself and says so once the MNIST files are kept too. */
async function installLab(page: Page, route: string): Promise<void> {
  await page.goto(`${server.url}${SMALL_QUERY}#/${route}`);
  await expect(page.getByRole('status').filter({ hasText: 'Digit Lab now works offline' })).toBeVisible({ timeout: 120_000 });
}

test('on a host without COOP/COEP, the page is cross-origin isolated from the second load on (the service worker adds the headers)', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(`${server.url}#/`);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 120_000 });
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Digit Lab' })).toBeVisible();
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  expect(await page.evaluate(() => typeof SharedArrayBuffer)).toBe('function');
  // The isolated page still loads everything (workers included): the backend starts and the data set loads.
  await expect(page.getByTestId('backend')).toHaveText(/WebAssembly|WebGL|WebGPU|CPU/);
  await expect(page.getByTestId('dataset-counts')).toHaveText(/60,000\s+training/, { timeout: 60_000 });
  expect(errors).toEqual([]);
});

test('after one visit the lab works offline: every route renders, the shipped model reads a drawing, a 2,000-image small-net run trains', async ({ page, context }) => {
  test.setTimeout(420_000);
  await installLab(page, 'dataset');
  // Offline: the browser says so, and the host is gone too.
  await context.setOffline(true);
  await server.close();
  const errors = watchErrors(page);

  for (const [route, title] of ROUTES) {
    await page.evaluate((r) => (location.hash = `#/${r}`), route);
    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: title, exact: true })).toBeVisible();
    if (route === 'dataset') await expect(page.locator('dataset-explorer')).toHaveAttribute('status', 'ready', { timeout: 90_000 });
    if (route === 'augmentation') await expect(page.locator('augment-preview')).toHaveAttribute('status', 'ready', { timeout: 90_000 });
    if (route === 'model') await expect(page.locator('model-builder')).toHaveAttribute('status', 'ready');
    if (route === 'inside') {
      await expect(page.locator('filter-viewer')).toHaveAttribute('status', 'ready', { timeout: 90_000 });
      await expect(page.locator('activation-viewer')).toHaveAttribute('status', 'ready', { timeout: 90_000 });
    }
    if (route === 'draw') {
      // The shipped model, from the cache, reads a stroke.
      const pad = page.locator('draw-pad');
      await expect(pad).toHaveAttribute('status', 'ready', { timeout: 90_000 });
      await expect(pad.getByText(/Model: The pre-trained model/)).toBeVisible();
      const box = (await pad.locator('canvas.pad').boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height * 0.15);
      await page.mouse.down();
      for (let k = 1; k <= 9; k++) await page.mouse.move(box.x + box.width / 2, box.y + box.height * (0.15 + 0.07 * k), { steps: 2 });
      await page.mouse.up();
      await expect(pad).toHaveAttribute('prediction', '1');
    }
    if (route === 'training') {
      const panel = page.locator('train-panel');
      await expect(panel.getByText('Model to train: small')).toBeVisible();
      await expect(page.getByTestId('dataset-counts')).toBeVisible({ timeout: 90_000 });
      await panel.getByLabel('Training images').fill('2000');
      await panel.getByLabel('Epochs').fill('1');
      await panel.getByRole('button', { name: 'Train' }).click();
      await expect(panel).toHaveAttribute('status', 'busy');
      await expect(panel).toHaveAttribute('status', 'ready', { timeout: 300_000 });
      await expect(panel.getByTestId('test-accuracy')).toContainText(/Test accuracy: [\d.]+%/);
      await expect(panel.getByTestId('run-history').getByRole('listitem')).toHaveCount(1);
    }
  }
  expect(errors).toEqual([]);
});

test('a new version waits until the learner reloads to update, instead of mixing with the page in use', async ({ page }) => {
  test.setTimeout(240_000);
  const errors = watchErrors(page);
  await installLab(page, '');
  const title = await page.title();
  expect(title).not.toContain('new version');

  publishNewVersion();
  await page.reload();
  // The new version installed and waits: this page is still the old one, and says a new one is ready.
  const prompt = page.getByRole('status').filter({ hasText: 'A new version of Digit Lab is ready.' });
  await expect(prompt).toBeVisible({ timeout: 60_000 });
  expect(await page.title()).toBe(title);
  // Another reload without accepting still shows the old version (the old service worker stays in charge).
  await page.reload();
  expect(await page.title()).toBe(title);
  await expect(prompt).toBeVisible({ timeout: 60_000 });

  await prompt.getByRole('button', { name: 'Reload to update' }).click();
  await expect(page).toHaveTitle(/new version/, { timeout: 30_000 });
  await expect(page.getByRole('heading', { level: 1, name: 'Digit Lab' })).toBeVisible();
  await expect(prompt).toBeHidden();
  expect(errors).toEqual([]);
});

test('the lab is installable: Chromium finds a valid web app manifest with its icons, and no installability error', async ({ page }) => {
  await page.goto(`${server.url}#/`);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 120_000 });
  const cdp = await page.context().newCDPSession(page);
  // What Lighthouse's installability audit asks Chromium.
  const manifest = (await cdp.send('Page.getAppManifest')) as { url: string; errors: { message: string }[]; data?: string };
  expect(manifest.url).toBe(`${server.url}manifest.webmanifest`);
  expect(manifest.errors).toEqual([]);
  const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: { errorId: string }[] };
  // A Playwright context is an incognito profile, where nothing installs; any other error is the lab's.
  expect(installabilityErrors.filter((e) => e.errorId !== 'in-incognito')).toEqual([]);
  // Every icon the manifest names is a PNG of the size it says.
  const icons = (JSON.parse(manifest.data ?? '{}') as { icons: { src: string; sizes: string; purpose: string }[] }).icons;
  expect(icons.map((i) => i.purpose).sort()).toEqual(['any', 'any', 'maskable']);
  for (const icon of icons) {
    const response = await page.request.get(new URL(icon.src, manifest.url).href);
    expect(response.headers()['content-type']).toBe('image/png');
    const png = await response.body();
    expect(`${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`).toBe(icon.sizes);
  }
});
