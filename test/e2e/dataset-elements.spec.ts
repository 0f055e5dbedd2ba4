// Element-level tests of the dataset explorer's parts, each mounted alone in the built page with made-up data:
// <digit-grid>, <digit-detail> and <dataset-stats>.
import { expect, test, type Page } from '@playwright/test';
import { mountElement, recordedEvents as events, watchErrors } from './helpers';

/**
 * Opens the built lab and mounts `tag` alone with a made-up data set: 125 training images, image i labelled i % 10,
 * pixel (x, y) of every image = 9·x + y (so any pixel's value is known).
 */
async function mount(page: Page, tag: string, props: Record<string, unknown> = {}): Promise<void> {
  await page.goto('./#/');
  await mountElement(page, tag, props, ['digit-select', 'digit-class-select']);
  await page.evaluate((tag) => {
    const pixels = Uint8Array.from({ length: 784 }, (_, p) => 9 * (p % 28) + Math.floor(p / 28));
    const mnist = { split: () => ({ count: 125 }), label: (_split: string, index: number) => index % 10, image: () => pixels };
    Object.assign(document.querySelector(`#fixture ${tag}`)!, { mnist });
  }, tag);
}

/** Shows all 125 images, in order. */
const showAll = (page: Page) => page.evaluate(() => Object.assign(document.querySelector('digit-grid')!, { view: { length: 125, at: (i: number) => i } }));

test.describe('<digit-grid>', () => {
  test('shows one page of digits with their labels, a single tab stop and a name saying where it is', async ({ page }) => {
    const errors = watchErrors(page);
    await mount(page, 'digit-grid');
    await showAll(page);
    const grid = page.locator('#fixture').getByRole('grid');
    await expect(grid).toHaveAccessibleName('Training images, all digits, page 1 of 3');
    const cells = grid.getByRole('gridcell');
    await expect(cells).toHaveCount(60);
    await expect(cells.nth(13)).toHaveAccessibleName('Training image 13, label 3');
    await expect(grid.locator('[role="gridcell"][tabindex="0"]')).toHaveCount(1);
    // The canvases show the digits: pixel (5, 2) of every image is 9·5 + 2.
    const value = await grid.locator('canvas').first().evaluate((c: HTMLCanvasElement) => c.getContext('2d')!.getImageData(5, 2, 1, 1).data[0]);
    expect(value).toBe(47);
    expect(errors).toEqual([]);
  });

  test('a click and the arrow keys send digit-select with the digit and its place; the tab stop follows the host', async ({ page }) => {
    await mount(page, 'digit-grid');
    await showAll(page);
    const grid = page.locator('#fixture').getByRole('grid');
    await grid.getByRole('gridcell', { name: 'Training image 59, label 9' }).click();
    expect(await events(page)).toEqual([{ type: 'digit-select', detail: { digit: { split: 'train', index: 59 }, position: 59, place: { page: 0, focus: 59 } } }]);

    // The host decides: it moves the tab stop to the chosen cell, and the grid focuses it.
    await page.evaluate(() => Object.assign(document.querySelector('digit-grid')!, { focusCell: 59 }));
    await expect(grid.getByRole('gridcell', { name: 'Training image 59, label 9' })).toBeFocused();
    // Past the last cell: the next page's first digit.
    await page.keyboard.press('ArrowRight');
    expect((await events(page))[1]).toEqual({ type: 'digit-select', detail: { digit: { split: 'train', index: 60 }, position: 60, place: { page: 1, focus: 0 } } });
    await page.evaluate(() => Object.assign(document.querySelector('digit-grid')!, { page: 1, focusCell: 0 }));
    await expect(grid.getByRole('gridcell', { name: 'Training image 60, label 0' })).toBeFocused();
    // End of the list: the last page has 5 digits and 55 empty cells; keys stop at the last digit.
    await page.keyboard.press('PageDown');
    expect((await events(page))[2]).toMatchObject({ detail: { position: 120, place: { page: 2, focus: 0 } } });
    await page.evaluate(() => Object.assign(document.querySelector('digit-grid')!, { page: 2, focusCell: 0 }));
    await expect(grid.locator('[role="gridcell"][data-index]')).toHaveCount(5);
    await expect(grid.locator('[role="gridcell"].empty')).toHaveCount(55);
    await page.keyboard.press('End');
    expect((await events(page))[3]).toMatchObject({ detail: { digit: { index: 124 }, position: 124, place: { page: 2, focus: 4 } } });
    // Other keys do nothing.
    await page.keyboard.press('a');
    expect(await events(page)).toHaveLength(4);
  });
});

test.describe('<digit-detail>', () => {
  test('shows the selected digit enlarged and reads the pixel under the pointer', async ({ page }) => {
    const errors = watchErrors(page);
    await mount(page, 'digit-detail', { selected: null });
    const detail = page.locator('#fixture digit-detail');
    await expect(detail.getByText('Click a digit to see it up close.')).toBeVisible();

    await page.evaluate(() => Object.assign(document.querySelector('digit-detail')!, { selected: { split: 'train', index: 17 } }));
    await expect(detail.getByTestId('selected-digit')).toHaveText('Training image 17 · label 7');
    await expect(detail.getByRole('status')).toHaveText('Selected training image 17, label 7.');
    const large = detail.getByRole('img', { name: 'The selected digit, a 7, enlarged' });
    const box = (await large.boundingBox())!;
    await page.mouse.move(box.x + (10.5 / 28) * box.width, box.y + (3.5 / 28) * box.height);
    await expect(detail.getByTestId('pixel-readout')).toHaveText('Pixel (x 10, y 3): 93 of 255');
    // The pixel under the pointer is outlined in the highlight colour; the rest shows the digit.
    const [outline, inside] = await large.evaluate((c: HTMLCanvasElement) => {
      const ctx = c.getContext('2d')!;
      return [Array.from(ctx.getImageData(10 * 8 + 1, 3 * 8 + 3, 1, 1).data), ctx.getImageData(20 * 8 + 4, 20 * 8 + 4, 1, 1).data[0]];
    });
    expect(outline.slice(0, 3)).toEqual([255, 140, 0]);
    expect(inside).toBe(9 * 20 + 20);
    await page.mouse.move(box.x - 20, box.y - 20);
    await expect(detail.getByTestId('pixel-readout')).toHaveText('Point at the digit to read a pixel’s value.');

    // An index the data set does not have is not shown.
    await page.evaluate(() => Object.assign(document.querySelector('digit-detail')!, { selected: { split: 'train', index: 500 } }));
    await expect(detail.getByText('Click a digit to see it up close.')).toBeVisible();
    expect(errors).toEqual([]);
  });
});

test.describe('<dataset-stats>', () => {
  test('draws both charts, and a mean image browses its class (pressed again: all digits)', async ({ page }) => {
    const errors = watchErrors(page);
    await mount(page, 'dataset-stats');
    await page.evaluate(() => {
      const stats = (split: string, n: number) => ({
        split,
        count: n * 10,
        classCounts: Array.from({ length: 10 }, () => n),
        meanImages: Array.from({ length: 10 }, (_, d) => new Float32Array(784).fill(d / 9)),
        pixelCounts: Float64Array.from({ length: 256 }, (_, v) => (v === 0 ? 800 : 1)),
      });
      Object.assign(document.querySelector('dataset-stats')!, { train: stats('train', 6000), test: stats('test', 1000), split: 'test', digit: 4 });
    });
    const stats = page.locator('#fixture dataset-stats');
    await expect(stats.locator('svg.balance rect title')).toHaveCount(20);
    await expect(stats.locator('svg.balance rect title').first()).toHaveText('Training: 6,000 images of 0 (10.0%)');
    await expect(stats.locator('svg.histogram rect')).toHaveCount(15);
    await expect(stats.getByTestId('background-share')).toContainText('75.8% of all pixels are pure background');
    await expect(stats.getByText('Mean image of each class (test split)')).toBeVisible();
    const mean = await stats.locator('canvas[data-mean="9"]').evaluate((c: HTMLCanvasElement) => c.getContext('2d')!.getImageData(3, 3, 1, 1).data[0]);
    expect(mean).toBe(255);

    await expect(stats.getByRole('button', { name: /^4\b/ })).toHaveAttribute('aria-pressed', 'true');
    await stats.getByRole('button', { name: /^7\b/ }).click();
    await stats.getByRole('button', { name: /^4\b/ }).click();
    expect(await events(page)).toEqual([
      { type: 'digit-class-select', detail: { digit: 7 } },
      { type: 'digit-class-select', detail: { digit: null } },
    ]);
    expect(errors).toEqual([]);
  });
});
