import { expect, test } from '@playwright/test';
import { watchErrors } from './helpers';

const LESSONS = [
  ['dataset', 'Dataset'],
  ['augmentation', 'Augmentation'],
  ['model', 'Model'],
  ['training', 'Training'],
  ['inside', 'Inside the network'],
  ['draw', 'Draw'],
  ['symbols', 'Beyond digits'],
] as const;

test('the start page loads with no console or page error and lists the seven lessons in order', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('./');
  await expect(page.getByRole('heading', { level: 1, name: 'Digit Lab' })).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Lessons' });
  await expect(nav.getByRole('link')).toHaveText(['·Start', ...LESSONS.map(([, t], i) => `${i + 1}${t}`)]);
  await expect(page.getByTestId('dataset-counts')).toBeVisible();
  expect(errors).toEqual([]);
});

test('every lesson route renders its title, with previous and next links', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('./');
  for (const [id, title] of LESSONS) {
    await page.goto(`./#/${id}`);
    await expect(page.getByRole('heading', { level: 1, name: title, exact: true })).toBeVisible();
    await expect(page.getByRole('link', { name: title, exact: false }).first()).toBeVisible();
  }
  await page.goto('./#/dataset');
  await page.getByRole('link', { name: 'Augmentation →' }).click();
  await expect(page).toHaveURL(/#\/augmentation$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Augmentation' })).toBeVisible();
  expect(errors).toEqual([]);
});

test('the data set loads: 60,000 training and 10,000 test images', async ({ page }) => {
  await page.goto('./#/dataset');
  await expect(page.getByTestId('dataset-counts')).toHaveText(/60,000\s+training\s+·\s+10,000\s+test images/);
});

test('the header shows the tfjs backend in use, and the user can choose another', async ({ page }) => {
  await page.goto('./#/dataset');
  const active = page.getByTestId('backend');
  await expect(active).toHaveText(/WebGL|WebGPU|WebAssembly|CPU/);
  await page.getByLabel('Backend').selectOption('cpu');
  await expect(active).toHaveText('CPU (plain JavaScript)');
  await expect(page).toHaveURL(/[?&]backend=cpu/);
  await page.reload();
  await expect(page.getByTestId('backend')).toHaveText('CPU (plain JavaScript)');
});

test('a reload keeps the route', async ({ page }) => {
  await page.goto('./#/model');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Model', exact: true })).toBeVisible();
  await expect(page).toHaveURL(/#\/model$/);
});

test('an unknown route says so and links back to the start', async ({ page }) => {
  await page.goto('./#/nowhere');
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await page.getByRole('link', { name: 'Back to the start' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Digit Lab' })).toBeVisible();
});

test('a corrupt data file shows a clear message and no half-loaded data set', async ({ page }) => {
  await page.route('**/mnist/test-images.u8z', (route) =>
    route.fulfill({ status: 200, contentType: 'application/octet-stream', body: Buffer.from('this is not MNIST') }),
  );
  await page.goto('./#/dataset');
  const alert = page.locator('data-status').getByRole('alert');
  await expect(alert).toContainText('Could not load MNIST: test-images.u8z');
  await expect(page.getByTestId('dataset-counts')).toHaveCount(0);
  // The error can be retried once the file is fixed.
  await page.unroute('**/mnist/test-images.u8z');
  await page.getByRole('button', { name: 'Retry', exact: true }).click();
  await expect(page.getByTestId('dataset-counts')).toHaveText(/60,000\s+training/);
});

test('a truncated data file names the file in the message', async ({ page }) => {
  await page.route('**/mnist/train-labels.u8z', async (route) => {
    const response = await route.fetch();
    const body = await response.body();
    await route.fulfill({ response, body: body.subarray(0, body.length / 2) });
  });
  await page.goto('./#/dataset');
  await expect(page.locator('data-status').getByRole('alert')).toContainText('train-labels.u8z');
});

test('the built site works under any sub-path (relative URLs)', async ({ page, baseURL }) => {
  const root = new URL(baseURL ?? '/');
  const subPath = `${root.origin}/some/deep/sub-path/`;
  // Serve the same build under /some/deep/sub-path/ and refuse anything requested from the root.
  await page.route(`${root.origin}/**`, async (route) => {
    const url = new URL(route.request().url());
    if (!url.href.startsWith(subPath)) return route.fulfill({ status: 404, body: 'not under the sub-path' });
    const response = await route.fetch({ url: root.origin + '/' + url.pathname.slice(new URL(subPath).pathname.length) + url.search });
    return route.fulfill({ response });
  });
  const errors = watchErrors(page);
  await page.goto(subPath + '#/dataset');
  await expect(page.getByRole('heading', { level: 1, name: 'Dataset' })).toBeVisible();
  await expect(page.getByTestId('dataset-counts')).toHaveText(/60,000\s+training/);
  expect(errors).toEqual([]);
});
