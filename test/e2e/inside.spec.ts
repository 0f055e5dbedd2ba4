import { expect, test } from '@playwright/test';

test('the filters of every conv layer are shown with a legend, and the input channel can be chosen', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('./#/inside');
  const viewer = page.locator('filter-viewer');
  await expect(viewer).toHaveAttribute('status', 'ready', { timeout: 90_000 });
  await expect(viewer.getByText(/Model: The pre-trained model/)).toBeVisible();
  const layers = viewer.getByTestId('filter-layer');
  await expect.poll(() => layers.count()).toBeGreaterThanOrEqual(1);
  await expect(layers.first().getByRole('img', { name: /Filter 1 of/ })).toBeVisible();
  await expect(viewer.getByLabel(/Colour legend/).first()).toContainText('−');

  // The second conv layer sees several input channels: switching the channel repaints its filters.
  const second = layers.nth(1);
  const canvas = second.locator('canvas').first();
  const before = await canvas.evaluate((c: HTMLCanvasElement) => c.toDataURL());
  await second.getByLabel('Input channel').selectOption({ index: 1 });
  await expect.poll(() => canvas.evaluate((c: HTMLCanvasElement) => c.toDataURL())).not.toBe(before);
  expect(errors).toEqual([]);
});

test('a chosen data-set digit is followed through every layer, with values on hover and a saliency overlay', async ({ page }) => {
  await page.goto('./#/inside');
  const viewer = page.locator('activation-viewer');
  await expect(viewer).toHaveAttribute('status', 'ready', { timeout: 90_000 });
  await viewer.getByLabel('A data-set digit').check();
  await viewer.getByLabel(/Digit number/).fill('7');
  await viewer.getByLabel(/Digit number/).press('Enter');
  await expect(viewer.getByText('Training digit #7, labelled 3')).toBeVisible();
  await expect(viewer.getByTestId('activation-prediction')).toHaveText(/reads a 3/);
  // The blocks are collapsible (the first convolution opens by itself): opening the second shows its maps too. The
  // details element reports the toggle in a later task and the block renders after it, so the count is polled.
  await viewer.locator('activation-block summary', { hasText: 'Convolution 2' }).click();
  await expect.poll(() => viewer.getByTestId('layer-maps').count()).toBeGreaterThanOrEqual(2);
  await expect(viewer.getByTestId('probabilities')).toBeVisible();

  const map = viewer.getByTestId('layer-maps').first().locator('canvas').nth(2);
  await map.hover();
  await expect(viewer.getByTestId('layer-maps').first()).toContainText(/Channel 3 of \d+: values -?\d+\.\d\d … -?\d+\.\d\d/);

  const input = viewer.locator('canvas.input');
  const withSaliency = await input.evaluate((c: HTMLCanvasElement) => c.toDataURL());
  await viewer.getByLabel('Show saliency').uncheck();
  await expect.poll(() => input.evaluate((c: HTMLCanvasElement) => c.toDataURL())).not.toBe(withSaliency);

  // A bad digit number gets a message, and the shown digit stays.
  await viewer.getByLabel(/Digit number/).fill('99999');
  await viewer.getByLabel(/Digit number/).press('Enter');
  await expect(viewer.getByRole('alert')).toHaveText(/Pick a digit number from 0 to 59,999/);
  await expect(viewer.getByText('Training digit #7, labelled 3')).toBeVisible();
});

test('when the lab model changes (a retrain), the filters and feature maps refresh and say which model they show', async ({ page }) => {
  await page.goto('./#/inside');
  const filters = page.locator('filter-viewer');
  const maps = page.locator('activation-viewer');
  await expect(filters).toHaveAttribute('status', 'ready', { timeout: 90_000 });
  await expect(maps).toHaveAttribute('status', 'ready', { timeout: 90_000 });
  await expect(filters.getByText(/Model: The pre-trained model/)).toBeVisible();

  // Stand-in for the training cell: put a new LabModel (same network, new identity) into the lab state.
  await page.evaluate(() => {
    const app = document.querySelector('lab-app') as HTMLElement & { state: { get(k: string): unknown; set(k: string, v: unknown): void } };
    const old = app.state.get('model') as { model: unknown; dispose(): void; constructor: new (...a: unknown[]) => unknown };
    old.dispose = () => {}; // keep the network alive: the stand-in reuses it
    app.state.set('model', new old.constructor(old.model, 'trained', 'The model you trained (test stand-in)'));
  });
  await expect(filters.getByText('Model: The model you trained (test stand-in).')).toBeVisible();
  await expect(maps.getByText('Model: The model you trained (test stand-in).')).toBeVisible();
  await expect(filters).not.toHaveAttribute('stale', '');
  await expect(maps).not.toHaveAttribute('stale', '');
  await expect(filters.getByRole('img', { name: /Filter 1 of/ }).first()).toBeVisible();
});
