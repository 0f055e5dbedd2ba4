import { expect, test, type Locator, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { watchErrors } from './helpers';

// The true labels and pixels, read straight from the prepared files the page loads.
const read = (file: string) => new Uint8Array(gunzipSync(readFileSync(`data/mnist/${file}`)));
const trainLabels = read('train-labels.u8z');
const testLabels = read('test-labels.u8z');
let trainImages: Uint8Array | null = null;
const trainPixel = (index: number, x: number, y: number) => (trainImages ??= read('train-images.u8z'))[index * 784 + y * 28 + x];

async function openExplorer(page: Page): Promise<Locator> {
  await page.goto('./#/dataset');
  const explorer = page.locator('dataset-explorer');
  await expect(explorer).toHaveAttribute('status', 'ready', { timeout: 60_000 });
  return explorer;
}

/** The indices and labels of the digits shown in the grid, in order. */
const shown = (explorer: Locator) =>
  explorer.locator('[role="gridcell"][data-index]').evaluateAll((cells) =>
    cells.map((c) => [Number((c as HTMLElement).dataset.index), Number((c as HTMLElement).dataset.label)]),
  );

test('pages through the training set with the true labels, never more than one page of digits in the page', async ({ page }) => {
  const errors = watchErrors(page);
  const explorer = await openExplorer(page);
  const expected = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => [from + i, trainLabels[from + i]]);
  expect(await shown(explorer)).toEqual(expected(0, 60));
  await expect(explorer.locator('[role="gridcell"] span').first()).toHaveText('5');

  await explorer.getByRole('button', { name: 'Next page' }).click();
  await expect(explorer.getByLabel('Page', { exact: true })).toHaveValue('2');
  expect(await shown(explorer)).toEqual(expected(60, 120));

  // Jump to the last page by typing its number.
  const pageBox = explorer.getByLabel('Page', { exact: true });
  await pageBox.fill('1000');
  await pageBox.press('Enter');
  await expect.poll(() => shown(explorer)).toEqual(expected(59940, 60000));
  await expect(explorer.getByRole('button', { name: 'Next page' })).toBeDisabled();

  // A page that does not exist is refused beside the box; the grid stays where it was.
  await pageBox.fill('abc');
  await pageBox.press('Enter');
  await expect(explorer.locator('#page-error')).toHaveText('“abc” is not a page: enter a whole number from 1 to 1,000.');
  await expect(pageBox).toHaveAttribute('aria-invalid', 'true');
  expect(await shown(explorer)).toEqual(expected(59940, 60000));
  await explorer.getByRole('button', { name: 'Previous page' }).click();
  await expect(pageBox).toHaveValue('999');
  await expect(explorer.locator('#page-error')).toHaveText('');

  // 70,000 digits, but only one page of canvases (60 in the grid, 10 mean images, 1 enlarged).
  expect(await explorer.locator('canvas').count()).toBeLessThanOrEqual(71);
  expect(errors).toEqual([]);
});

test('choosing class 7 shows only sevens, in both splits', async ({ page }) => {
  const errors = watchErrors(page);
  const explorer = await openExplorer(page);
  await explorer.getByLabel('Digit', { exact: true }).selectOption('7');
  const sevens = Array.from(trainLabels.entries()).filter(([, l]) => l === 7).map(([i]) => [i, 7]);
  await expect.poll(() => shown(explorer)).toEqual(sevens.slice(0, 60));
  await expect(explorer.getByText(`of ${Math.ceil(sevens.length / 60)}`)).toBeVisible();
  await explorer.getByRole('button', { name: 'Next page' }).click();
  await expect.poll(() => shown(explorer)).toEqual(sevens.slice(60, 120));

  await explorer.getByLabel('Split', { exact: true }).selectOption('test');
  const testSevens = Array.from(testLabels.entries()).filter(([, l]) => l === 7).map(([i]) => [i, 7]);
  await expect.poll(() => shown(explorer)).toEqual(testSevens.slice(0, 60));
  await expect(explorer.getByLabel('Page', { exact: true })).toHaveValue('1');

  // Back to all digits of the test split.
  await explorer.getByLabel('Digit', { exact: true }).selectOption('all');
  await expect.poll(async () => (await shown(explorer)).map(([, l]) => l)).toEqual(Array.from(testLabels.subarray(0, 60)));
  expect(errors).toEqual([]);
});

test('a clicked digit opens large with its split, index and label, and the value of the pixel under the pointer', async ({ page }) => {
  const errors = watchErrors(page);
  const explorer = await openExplorer(page);
  await explorer.locator('[role="gridcell"][data-index="7"]').click();
  await expect(explorer.getByTestId('selected-digit')).toHaveText(`Training image 7 · label ${trainLabels[7]}`);
  await expect(explorer.locator('[role="gridcell"][data-index="7"]')).toHaveAttribute('aria-selected', 'true');

  const large = explorer.locator('canvas.large');
  const box = await large.boundingBox();
  if (!box) throw new Error('the enlarged digit is not visible');
  for (const [x, y] of [
    [14, 14],
    [3, 20],
    [10, 8],
  ]) {
    await page.mouse.move(box.x + ((x + 0.5) / 28) * box.width, box.y + ((y + 0.5) / 28) * box.height);
    await expect(explorer.getByTestId('pixel-readout')).toHaveText(`Pixel (x ${x}, y ${y}): ${trainPixel(7, x, y)} of 255`);
  }
  // The enlarged canvas really shows the digit: the centre pixel's grey equals its value.
  const centre = await large.evaluate((c: HTMLCanvasElement) => {
    const ctx = c.getContext('2d');
    const cell = c.width / 28;
    return ctx ? ctx.getImageData(Math.floor(14.5 * cell), Math.floor(14.5 * cell), 1, 1).data[0] : -1;
  });
  expect(centre).toBe(trainPixel(7, 14, 14));
  expect(errors).toEqual([]);
});

test('arrow keys move the selection through the grid and across pages, and announce it', async ({ page }) => {
  const errors = watchErrors(page);
  const explorer = await openExplorer(page);
  await explorer.locator('[role="gridcell"][data-index="0"]').click();
  const status = explorer.getByRole('status');
  await expect(status).toHaveText(`Selected training image 0, label ${trainLabels[0]}.`);

  await page.keyboard.press('ArrowRight');
  await expect(status).toHaveText(`Selected training image 1, label ${trainLabels[1]}.`);
  await expect(explorer.locator('[role="gridcell"][data-index="1"]')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(status).toHaveText(`Selected training image 11, label ${trainLabels[11]}.`);
  await expect(explorer.locator('[role="gridcell"][data-index="11"]')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('End');
  await expect(status).toHaveText(`Selected training image 59, label ${trainLabels[59]}.`);
  // Past the last digit of the page: the next page opens.
  await page.keyboard.press('ArrowRight');
  await expect(status).toHaveText(`Selected training image 60, label ${trainLabels[60]}.`);
  await expect(explorer.getByLabel('Page', { exact: true })).toHaveValue('2');
  await expect(explorer.locator('[role="gridcell"][data-index="60"]')).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(status).toHaveText(`Selected training image 50, label ${trainLabels[50]}.`);
  await expect(explorer.getByLabel('Page', { exact: true })).toHaveValue('1');
  // The grid is a single tab stop: Tab leaves it.
  expect(await explorer.locator('[role="gridcell"][tabindex="0"]').count()).toBe(1);
  expect(errors).toEqual([]);
});

test('shows the class balance, pixel histogram and mean images, and the chosen digit reaches the augmentation lesson', async ({ page }) => {
  const errors = watchErrors(page);
  const explorer = await openExplorer(page);
  const balance = explorer.locator('svg.balance');
  await expect(balance.locator('rect title')).toHaveCount(20);
  await expect(balance.locator('text.axis-label')).toHaveText(['Digit', 'Share of the split']);
  await expect(balance.locator('rect title').nth(1)).toHaveText('Training: 6,742 images of 1 (11.2%)');
  const histogram = explorer.locator('svg.histogram');
  await expect(histogram.locator('rect')).toHaveCount(15);
  await expect(histogram.locator('text.axis-label')).toHaveText(['Pixel value (1 = faintest ink, 255 = full ink)', 'Share of ink pixels']);
  await expect(explorer.getByTestId('background-share')).toContainText('% of all pixels are pure background');
  // Every bar has a height and lies inside the chart.
  const heights = await histogram.locator('rect').evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('height'))));
  expect(heights.every((h) => h > 0 && h < 250)).toBe(true);

  // A mean image is a button that browses its class.
  await explorer.getByRole('button', { name: /^4\b/ }).click();
  await expect.poll(async () => new Set((await shown(explorer)).map(([, l]) => l))).toEqual(new Set([4]));
  await expect(explorer.getByLabel('Digit', { exact: true })).toHaveValue('4');

  await explorer.locator('[role="gridcell"]').nth(3).click();
  const [index] = (await shown(explorer))[3];
  await page.getByRole('link', { name: 'Augmentation →' }).click();
  await expect(page.locator('augment-preview').getByTestId('augment-digit')).toContainText(
    `training image ${index.toLocaleString('en-US')}, label 4`,
  );
  expect(errors).toEqual([]);
});

test('shows a loading state while MNIST downloads, and a retry after a failed download', async ({ page }) => {
  // Slow first, then broken: the cell must say what is happening either way.
  let mode: 'slow' | 'broken' | 'ok' = 'slow';
  await page.route('**/mnist/train-labels.u8z', async (route) => {
    if (mode === 'broken') return route.fulfill({ status: 404, body: 'gone' });
    if (mode === 'slow') await new Promise((resolve) => setTimeout(resolve, 1500));
    return route.continue();
  });
  await page.goto('./#/dataset');
  const explorer = page.locator('dataset-explorer');
  await expect(explorer).toHaveAttribute('status', 'busy');
  await expect(explorer.getByText(/Loading MNIST \(\d+%\)/)).toBeVisible();
  await expect(explorer).toHaveAttribute('status', 'ready', { timeout: 60_000 });

  // A file that fails while the others are still downloading: the error must stay, not be hidden by their progress.
  mode = 'broken';
  await page.reload();
  await expect(explorer.getByRole('alert')).toContainText('Could not load MNIST: train-labels.u8z');
  await expect(explorer).toHaveAttribute('status', 'error');
  mode = 'ok';
  await explorer.getByRole('button', { name: 'Retry loading MNIST' }).click();
  await expect(explorer).toHaveAttribute('status', 'ready', { timeout: 60_000 });
  expect((await shown(explorer)).length).toBe(60);
});
