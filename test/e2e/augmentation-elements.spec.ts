// Element-level tests of the augmentation cell's parts, each mounted alone in the built page:
// <augment-settings-form> (settings in, typed change events out) and <augment-grid> (pictures in, canvases out).
import { expect, test, type Page } from '@playwright/test';
import { mountElement, recordedEvents, watchErrors } from './helpers';

const DEFAULTS = { enabled: true, rotation: 10, widthShift: 0.1, heightShift: 0.1, shear: 10, zoom: 0.1 };

test.beforeEach(async ({ page }) => {
  await page.goto('./#/');
});

test.describe('<augment-settings-form>', () => {
  test('shows the settings it is given and reports a typed value, a slider drag and its release, and the switch', async ({ page }) => {
    const errors = watchErrors(page);
    const form = await mountElement(page, 'augment-settings-form', { settings: { ...DEFAULTS, zoom: 0.3 } }, ['augment-settings-change']);
    await expect(form.getByRole('textbox', { name: 'Zoom range' })).toHaveValue('0.3');
    await expect(form.getByRole('slider', { name: 'Zoom range' })).toHaveValue('0.3');
    await expect(form.getByRole('switch', { name: 'Augment training images' })).toBeChecked();

    await form.getByRole('textbox', { name: 'Rotation range' }).fill('25');
    await form.getByRole('textbox', { name: 'Rotation range' }).press('Enter');
    await form.getByRole('slider', { name: 'Shear range' }).fill('30');
    await form.getByRole('switch', { name: 'Augment training images' }).uncheck();
    const events = await recordedEvents(page);
    // Enter, then the change event of leaving the box, both settle the same value.
    expect(events[0]).toEqual({ type: 'augment-settings-change', detail: { patch: { rotation: 25 }, final: true } });
    // While dragging: preview only (final false); on release: settled.
    expect(events).toContainEqual({ type: 'augment-settings-change', detail: { patch: { shear: 30 }, final: false } });
    expect(events).toContainEqual({ type: 'augment-settings-change', detail: { patch: { shear: 30 }, final: true } });
    expect(events[events.length - 1]).toEqual({ type: 'augment-settings-change', detail: { patch: { enabled: false }, final: true } });
    expect(errors).toEqual([]);
  });

  test('refuses a bad value beside its box without reporting it; Reset clears the message and sends every default', async ({ page }) => {
    const form = await mountElement(page, 'augment-settings-form', { settings: { ...DEFAULTS, rotation: 40 } }, ['augment-settings-change']);
    const box = form.getByRole('textbox', { name: 'Rotation range' });
    await box.fill('abc');
    await box.press('Enter');
    await expect(form.getByTestId('rotation-error')).toHaveText('“abc” is not a number: enter a number from 0 to 180. Still using 40°.');
    await expect(box).toHaveAttribute('aria-invalid', 'true');
    await expect(box).toHaveAccessibleDescription(/Still using 40°/);
    expect(await recordedEvents(page)).toEqual([]);

    await form.getByRole('button', { name: 'Reset to defaults' }).click();
    await expect(form.getByTestId('rotation-error')).toHaveCount(0);
    await expect(box).toHaveAttribute('aria-invalid', 'false');
    expect(await recordedEvents(page)).toEqual([{ type: 'augment-settings-change', detail: { patch: DEFAULTS, final: true } }]);
  });

  test('puts the host\'s buttons (slot "actions") before Reset, in one row', async ({ page }) => {
    const form = await mountElement(page, 'augment-settings-form', { settings: DEFAULTS });
    await page.evaluate(() => {
      const button = Object.assign(document.createElement('button'), { slot: 'actions', textContent: 'Re-roll augmentations' });
      document.querySelector('#fixture augment-settings-form')!.append(button);
    });
    const reroll = await form.getByRole('button', { name: 'Re-roll augmentations' }).boundingBox();
    const reset = await form.getByRole('button', { name: 'Reset to defaults' }).boundingBox();
    expect(reroll && reset && reroll.x < reset.x && Math.abs(reroll.y - reset.y) < 2).toBe(true);
  });
});

/** Mounts <augment-grid> with a made-up digit (pixel (x, y) = 9·x + y) and 16 flat images, image i all grey level 10·i. */
async function mountGrid(page: Page) {
  const grid = await mountElement(page, 'augment-grid', { label: 7, caption: 'training image 12, label 7', note: 'What training sees.' });
  await page.evaluate(() => {
    const original = Uint8Array.from({ length: 784 }, (_, p) => 9 * (p % 28) + Math.floor(p / 28));
    const pixels = Float32Array.from({ length: 16 * 784 }, (_, i) => (10 * Math.floor(i / 784)) / 255);
    const params = Array.from({ length: 16 }, (_, i) => ({ rotation: i, shiftX: 0, shiftY: 0, shear: 0, zoomX: 1, zoomY: 1 }));
    Object.assign(document.querySelector('#fixture augment-grid')!, { original, result: { pixels, params } });
  });
  return grid;
}

const pixel = (canvas: import('@playwright/test').Locator, x: number, y: number) =>
  canvas.evaluate((c: HTMLCanvasElement, [x, y]) => c.getContext('2d')!.getImageData(x, y, 1, 1).data[0], [x, y]);

test.describe('<augment-grid>', () => {
  test('paints the digit and each augmentation white on black, with captions and what was done as tooltips', async ({ page }) => {
    const errors = watchErrors(page);
    const grid = await mountGrid(page);
    await expect(grid.getByTestId('augment-digit')).toHaveText('Original: training image 12, label 7. Pick another in the dataset explorer.');
    await expect(grid.getByRole('img', { name: 'The original digit, a 7' })).toBeVisible();
    await expect(grid.getByText('What training sees.')).toBeVisible();
    await expect.poll(() => pixel(grid.locator('canvas.original'), 5, 2)).toBe(47);
    const canvases = grid.getByTestId('augment-grid').locator('canvas');
    await expect(canvases).toHaveCount(16);
    for (const i of [0, 3, 15]) expect(await pixel(canvases.nth(i), 14, 14)).toBe(10 * i);
    await expect(canvases.nth(3)).toHaveAttribute('title', 'rotated +3.0°, shifted +0.0 px across and +0.0 px down, sheared +0.0°, zoom 1.00 × 1.00');
    expect(errors).toEqual([]);
  });

  test('a new caption does not repaint the pictures; a new result does', async ({ page }) => {
    const grid = await mountGrid(page);
    const first = grid.getByTestId('augment-grid').locator('canvas').first();
    await expect.poll(() => pixel(first, 0, 0)).toBe(0);
    // Scribble on the canvas: only a repaint would undo it.
    await first.evaluate((c: HTMLCanvasElement) => {
      const ctx = c.getContext('2d')!;
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, 1, 1);
    });
    await page.evaluate(() => Object.assign(document.querySelector('#fixture augment-grid')!, { note: 'Another note.' }));
    await expect(grid.getByText('Another note.')).toBeVisible();
    expect(await pixel(first, 0, 0)).toBe(255);
    await page.evaluate(() => {
      const grid = document.querySelector<HTMLElementTagNameMap['augment-grid']>('#fixture augment-grid')!;
      grid.result = { ...grid.result!, pixels: new Float32Array(16 * 784) };
    });
    await expect.poll(() => pixel(first, 0, 0)).toBe(0);
  });
});
