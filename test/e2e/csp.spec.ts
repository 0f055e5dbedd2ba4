import { expect, test, type Page } from '@playwright/test';
import { SMALL_SPEC } from '../../src/model/spec';
import { watchErrors } from './helpers';
import { RECOMMENDED_CSP, serveBuiltSite, type BuiltSiteServer } from './static-server';

// The lab under its recommended strict Content-Security-Policy (deploy/csp.txt: no 'unsafe-eval', no blob: scripts
// or workers), served with cross-origin isolation by a plain static server, as a careful host would serve it.

// As deployed: the lab's service worker registers too (worker-src 'self').
test.use({ serviceWorkers: 'allow' });

let server: BuiltSiteServer;
test.beforeAll(async () => {
  server = await serveBuiltSite(RECOMMENDED_CSP);
});
test.afterAll(async () => {
  await server.close();
});

/** Every policy violation the page (and its workers, through the console) reports, and every console error. */
async function watchPolicy(page: Page): Promise<string[]> {
  const problems = watchErrors(page);
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  return problems;
}

test('the policy is strict: no unsafe-eval, no blob: scripts or workers', () => {
  expect(RECOMMENDED_CSP).not.toMatch(/'unsafe-eval'|'unsafe-hashes'/);
  expect(RECOMMENDED_CSP).toMatch(/script-src 'self' 'wasm-unsafe-eval';/);
  expect(RECOMMENDED_CSP).toMatch(/worker-src 'self';/);
  expect(RECOMMENDED_CSP).not.toMatch(/(script|worker)-src[^;]*blob:/);
});

test('under the strict policy the start page loads, WebAssembly starts with its threads, and MNIST loads', async ({ page }) => {
  const problems = await watchPolicy(page);
  await page.goto(`${server.origin}/`);
  expect((await page.request.get(`${server.origin}/`)).headers()['content-security-policy']).toBe(RECOMMENDED_CSP);
  await expect(page.getByRole('heading', { level: 1, name: 'Digit Lab' })).toBeVisible();
  // The threaded WebAssembly build (cross-origin isolated): its thread workers load from files, not blobs.
  await expect(page.getByTestId('backend')).toHaveText(/^WebAssembly \(SIMD, \d+ threads?\)$/, { timeout: 60_000 });
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await expect(page.getByTestId('dataset-counts')).toBeVisible({ timeout: 60_000 });
  // The service worker registers under the policy too.
  await expect.poll(() => page.evaluate(async () => Boolean(await navigator.serviceWorker.getRegistration())), { timeout: 30_000 }).toBe(true);
  expect(problems).toEqual([]);
});

test('under the strict policy the dataset lesson draws its charts', async ({ page }) => {
  const problems = await watchPolicy(page);
  await page.goto(`${server.origin}/#/dataset`);
  await expect(page.getByTestId('dataset-counts')).toHaveText(/60,000\s+training/, { timeout: 60_000 });
  const explorer = page.locator('dataset-explorer');
  await expect(explorer).toHaveAttribute('status', 'ready');
  await expect(explorer.locator('svg[role="img"]').first()).toBeVisible();
  await expect(explorer.locator('svg rect').first()).toBeAttached();
  expect(problems).toEqual([]);
});

test('under the strict policy a run trains in the worker and draws its curves, per-class bars and the history overlay', async ({ page }) => {
  test.setTimeout(300_000);
  const problems = await watchPolicy(page);
  await page.goto(`${server.origin}/?model=${encodeURIComponent(JSON.stringify(SMALL_SPEC))}#/training`);
  const panel = page.locator('train-panel');
  await expect(panel.getByTestId('train-estimate')).toContainText(/≈ .* on this device/, { timeout: 120_000 });
  await panel.getByLabel('Training images').fill('2000');
  await panel.getByLabel('Augmentation').uncheck();
  await panel.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(panel).toHaveAttribute('status', 'ready', { timeout: 240_000 });
  await expect(panel.getByTestId('run-history')).toContainText('WebAssembly');
  await expect(panel.getByTestId('loss-chart').locator('svg path').first()).toBeVisible();
  await expect(panel.getByTestId('accuracy-chart').locator('svg path').first()).toBeVisible();
  await expect(panel.getByTestId('per-class-chart').locator('svg rect')).toHaveCount(10);
  await expect(panel.getByTestId('per-class-chart').locator('svg')).toHaveAttribute('aria-label', /^Accuracy per digit: 0 \d/);
  await panel.getByTestId('run-history').getByRole('checkbox').first().check();
  await expect(panel.getByTestId('overlay-chart').locator('svg path').first()).toBeVisible();
  expect(problems).toEqual([]);
});

test('under the strict policy a stroke on the draw pad reads as 1', async ({ page }) => {
  const problems = await watchPolicy(page);
  await page.goto(`${server.origin}/#/draw`);
  const pad = page.locator('draw-pad');
  await expect(pad).toHaveAttribute('status', 'ready', { timeout: 90_000 });
  const box = (await pad.locator('canvas.pad').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height * 0.15);
  await page.mouse.down();
  for (let k = 1; k <= 9; k++) await page.mouse.move(box.x + box.width / 2, box.y + box.height * (0.15 + 0.7 * (k / 9)), { steps: 2 });
  await page.mouse.up();
  await expect(pad).toHaveAttribute('prediction', '1');
  expect(problems).toEqual([]);
});
