import { expect, test, type Locator, type Page } from '@playwright/test';
import { watchErrors } from './helpers';

async function openPreview(page: Page, query = ''): Promise<Locator> {
  await page.goto(`./${query}#/augmentation`);
  const cell = page.locator('augment-preview');
  await expect(cell).toHaveAttribute('status', 'ready', { timeout: 90_000 });
  return cell;
}

/** The 16 augmented images as data URLs: what the learner sees. */
const images = (cell: Locator) => cell.locator('[data-testid="augment-grid"] canvas').evaluateAll((cs) => cs.map((c) => (c as HTMLCanvasElement).toDataURL()));

/** The augmentation settings the page shares through its URL. */
const urlSettings = (page: Page) => JSON.parse(new URL(page.url()).searchParams.get('aug') ?? 'null') as Record<string, unknown> | null;

test('shows the Keras defaults and a grid of different augmentations of the chosen digit', async ({ page }) => {
  const errors = watchErrors(page);
  const cell = await openPreview(page);
  for (const [label, value] of [
    ['Rotation range', '10'],
    ['Width shift', '0.1'],
    ['Height shift', '0.1'],
    ['Shear range', '10'],
    ['Zoom range', '0.1'],
  ]) {
    await expect(cell.getByRole('textbox', { name: label })).toHaveValue(value);
    await expect(cell.getByRole('slider', { name: label })).toHaveValue(value);
  }
  await expect(cell.getByRole('switch', { name: 'Augment training images' })).toBeChecked();
  await expect(cell.getByTestId('augment-digit')).toContainText('training image 0, label 5');
  const shown = await images(cell);
  expect(shown).toHaveLength(16);
  // Sixteen different variants, none of them blank.
  expect(new Set(shown).size).toBe(16);
  const inked = await cell.locator('[data-testid="augment-grid"] canvas').evaluateAll((cs) =>
    cs.map((c) => {
      const data = (c as HTMLCanvasElement).getContext('2d')?.getImageData(0, 0, 28, 28).data ?? [];
      let ink = 0;
      for (let i = 0; i < data.length; i += 4) ink += data[i];
      return ink;
    }),
  );
  expect(inked.every((ink) => ink > 255 * 40)).toBe(true);
  await expect(cell.getByRole('status')).toHaveText('Showing 16 random augmentations of training image 0, label 5.');
  expect(errors).toEqual([]);
});

test('moving a slider changes the preview and the shared settings', async ({ page }) => {
  const errors = watchErrors(page);
  const cell = await openPreview(page);
  const before = await images(cell);
  await cell.getByRole('slider', { name: 'Rotation range' }).fill('90');
  await expect(cell.getByRole('textbox', { name: 'Rotation range' })).toHaveValue('90');
  await expect.poll(() => images(cell)).not.toEqual(before);
  expect(urlSettings(page)).toMatchObject({ rotation: 90, widthShift: 0.1 });

  // Re-roll: same settings, new random variants.
  const rolled = await images(cell);
  await cell.getByRole('button', { name: 'Re-roll augmentations' }).click();
  await expect.poll(() => images(cell)).not.toEqual(rolled);
  expect(errors).toEqual([]);
});

test('"abc", -5 and 500 are refused beside the control and the last valid setting stays', async ({ page }) => {
  const errors = watchErrors(page);
  const cell = await openPreview(page);
  const box = cell.getByRole('textbox', { name: 'Rotation range' });
  const slider = cell.getByRole('slider', { name: 'Rotation range' });
  const shown = await images(cell);
  for (const [text, message] of [
    ['abc', '“abc” is not a number: enter a number from 0 to 180. Still using 10°.'],
    ['-5', '-5 is out of range: enter a number from 0 to 180. Still using 10°.'],
    ['500', '500 is out of range: enter a number from 0 to 180. Still using 10°.'],
  ]) {
    await box.fill(text);
    await box.press('Enter');
    await expect(cell.getByTestId('rotation-error')).toHaveText(message);
    await expect(box).toHaveAttribute('aria-invalid', 'true');
    await expect(box).toHaveValue(text);
    await expect(slider).toHaveValue('10');
    expect(urlSettings(page)?.rotation ?? 10).toBe(10);
    expect(await images(cell)).toEqual(shown);
  }
  // Another field refuses too, with its own range.
  const shift = cell.getByRole('textbox', { name: 'Width shift' });
  await shift.fill('0.9');
  await shift.press('Enter');
  await expect(cell.getByTestId('widthShift-error')).toHaveText('0.9 is out of range: enter a number from 0 to 0.5. Still using 0.1.');

  // A valid value clears the message and is used.
  await box.fill('25');
  await box.press('Enter');
  await expect(cell.getByTestId('rotation-error')).toHaveCount(0);
  await expect(box).toHaveAttribute('aria-invalid', 'false');
  await expect(slider).toHaveValue('25');
  expect(urlSettings(page)).toMatchObject({ rotation: 25, widthShift: 0.1 });
  await expect.poll(() => images(cell)).not.toEqual(shown);
  expect(errors).toEqual([]);
});

test('switched off, every image is the original; settings survive a reload and bad URL values are ignored', async ({ page }) => {
  const errors = watchErrors(page);
  let cell = await openPreview(page);
  await cell.getByRole('switch', { name: 'Augment training images' }).uncheck();
  await expect.poll(async () => new Set(await images(cell)).size).toBe(1);
  const original = await cell.locator('canvas.original').evaluate((c: HTMLCanvasElement) => c.toDataURL());
  expect((await images(cell))[0]).toBe(original);
  await expect(cell.getByRole('status')).toHaveText('Showing 16 unchanged copies of training image 0, label 5.');

  await cell.getByRole('switch', { name: 'Augment training images' }).check();
  await cell.getByRole('textbox', { name: 'Shear range' }).fill('30');
  await cell.getByRole('textbox', { name: 'Shear range' }).press('Enter');
  await page.reload();
  cell = page.locator('augment-preview');
  await expect(cell.getByRole('textbox', { name: 'Shear range' })).toHaveValue('30');

  // A hand-edited link with an out-of-range value falls back to the default for that field only.
  cell = await openPreview(page, `?aug=${encodeURIComponent(JSON.stringify({ rotation: 500, zoom: 0.3, enabled: true }))}`);
  await expect(cell.getByRole('textbox', { name: 'Rotation range' })).toHaveValue('10');
  await expect(cell.getByRole('textbox', { name: 'Zoom range' })).toHaveValue('0.3');

  await cell.getByRole('button', { name: 'Reset to defaults' }).click();
  await expect(cell.getByRole('textbox', { name: 'Zoom range' })).toHaveValue('0.1');
  expect(errors).toEqual([]);
});

test('the CPU and WebGL backends draw the same augmentations for the same seed', async ({ page }) => {
  const errors = watchErrors(page);
  const pixels = (cell: Locator) =>
    cell.locator('[data-testid="augment-grid"] canvas').evaluateAll((cs) =>
      cs.map((c) => Array.from((c as HTMLCanvasElement).getContext('2d')?.getImageData(0, 0, 28, 28).data ?? []).filter((_, i) => i % 4 === 0)),
    );
  const byBackend: number[][][] = [];
  for (const backend of ['cpu', 'webgl']) {
    const cell = await openPreview(page, `?backend=${backend}`);
    await expect(page.getByTestId('backend')).toHaveText(backend === 'cpu' ? 'CPU (plain JavaScript)' : 'WebGL');
    byBackend.push(await pixels(cell));
  }
  const [cpu, webgl] = byBackend;
  expect(cpu).toHaveLength(16);
  // Bilinear sampling in float32 on the GPU may round a grey level differently, nothing more.
  let worst = 0;
  cpu.forEach((image, i) => image.forEach((v, p) => (worst = Math.max(worst, Math.abs(v - webgl[i][p])))));
  expect(worst).toBeLessThanOrEqual(2);
  expect(errors).toEqual([]);
});
