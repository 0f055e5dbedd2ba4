import { expect, test, type Locator, type Page } from '@playwright/test';
import { loadPreparedMnist } from '../../src/data/node';
import { watchErrors } from './helpers';

type Point = [number, number];

async function openPad(page: Page): Promise<Locator> {
  await page.goto('./#/draw');
  const pad = page.locator('draw-pad');
  await expect(pad).toHaveAttribute('status', 'ready', { timeout: 90_000 });
  return pad;
}

/** Draws one stroke with the mouse through points given as fractions of the pad. */
async function stroke(page: Page, points: Point[]): Promise<void> {
  const box = (await page.locator('draw-pad canvas.pad').boundingBox())!;
  const at = ([fx, fy]: Point): Point => [box.x + fx * box.width, box.y + fy * box.height];
  await page.mouse.move(...at(points[0]));
  await page.mouse.down();
  for (const p of points.slice(1)) await page.mouse.move(...at(p), { steps: 2 });
  await page.mouse.up();
}

const vertical: Point[] = Array.from({ length: 10 }, (_, k) => [0.5, 0.15 + 0.7 * (k / 9)]);
const oval: Point[] = Array.from({ length: 33 }, (_, k) => {
  const a = (k / 32) * Math.PI * 2;
  return [0.5 + 0.22 * Math.sin(a), 0.5 - 0.33 * Math.cos(a)];
});

/** A PNG of MNIST test digit `index`, drawn 8× larger as dark ink on light paper (like a photo of a written digit). */
async function digitPng(page: Page, index: number): Promise<{ buffer: Buffer; label: number }> {
  const dataset = await loadPreparedMnist();
  const pixels = Array.from(dataset.image('test', index));
  const dataUrl = await page.evaluate((px) => {
    const small = document.createElement('canvas');
    small.width = 28;
    small.height = 28;
    const ctx = small.getContext('2d')!;
    const img = ctx.createImageData(28, 28);
    px.forEach((v, i) => img.data.set([235 - v * 0.8, 230 - v * 0.8, 220 - v * 0.8, 255], i * 4));
    ctx.putImageData(img, 0, 0);
    const big = document.createElement('canvas');
    big.width = 300;
    big.height = 260;
    const bctx = big.getContext('2d')!;
    bctx.fillStyle = 'rgb(235,230,220)';
    bctx.fillRect(0, 0, 300, 260);
    bctx.imageSmoothingEnabled = true;
    bctx.drawImage(small, 30, 10, 224, 224);
    return big.toDataURL('image/png');
  }, pixels);
  return { buffer: Buffer.from(dataUrl.split(',')[1], 'base64'), label: dataset.label('test', index) };
}

test('a vertical stroke drawn with the mouse reads as 1, and an oval as 0', async ({ page }) => {
  const errors = watchErrors(page);
  const pad = await openPad(page);
  await expect(pad.getByText(/Model: The pre-trained model/)).toBeVisible();

  await stroke(page, vertical);
  await expect(pad).toHaveAttribute('prediction', '1');
  await expect(pad.getByRole('status')).toHaveText(/reads a 1 \(\d+(\.\d)?% sure\)/);
  const confidence = Number(await pad.getAttribute('confidence'));
  expect(confidence).toBeGreaterThan(0.5);
  expect(confidence).toBeLessThanOrEqual(1);
  // The four preprocessing steps are shown.
  await expect(pad.locator('canvas.step')).toHaveCount(4);
  await expect(pad.getByText('Centred by mass in 28×28: the input')).toBeVisible();

  await pad.getByRole('button', { name: 'Clear' }).click();
  await expect(pad).not.toHaveAttribute('prediction', /./);
  await stroke(page, oval);
  await expect(pad).toHaveAttribute('prediction', '0');
  await expect(pad.getByRole('status')).toHaveText(/reads a 0/);
  expect(errors).toEqual([]);
});

test('undo removes the last stroke and the prediction follows', async ({ page }) => {
  const pad = await openPad(page);
  await stroke(page, vertical);
  await expect(pad).toHaveAttribute('prediction', '1');
  // A second stroke: a horizontal bar across the top turns the 1 into something else (a 7 or a T-shape).
  await stroke(page, [[0.25, 0.17], [0.5, 0.16], [0.75, 0.17]]);
  await expect(pad).not.toHaveAttribute('prediction', '1');
  await pad.getByRole('button', { name: 'Undo' }).click();
  await expect(pad).toHaveAttribute('prediction', '1');
});

test('a PNG of a test digit (dark ink on light paper) reads as its label', async ({ page }) => {
  const pad = await openPad(page);
  const { buffer, label } = await digitPng(page, 0);
  await pad.getByLabel('Or use a picture').setInputFiles({ name: 'digit.png', mimeType: 'image/png', buffer });
  await expect(pad).toHaveAttribute('prediction', String(label));
  await expect(pad.getByText(/Loaded “digit.png” \(dark ink on a light background: inverted/)).toBeVisible();
  await expect(pad.getByRole('status')).toHaveText(new RegExp(`reads a ${label}`));
});

test('a text file gets a clear message and the drawing is kept', async ({ page }) => {
  const pad = await openPad(page);
  await stroke(page, vertical);
  await expect(pad).toHaveAttribute('prediction', '1');
  await pad.getByLabel('Or use a picture').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a digit') });
  await expect(pad.getByRole('alert')).toHaveText('“notes.txt” is not an image. Pick a PNG or JPEG picture of a digit.');
  await expect(pad).toHaveAttribute('prediction', '1');
});

test('keyboard users can paint on the grid, and load a sample digit', async ({ page }) => {
  const pad = await openPad(page);
  await pad.locator('canvas.pad').focus();
  // Up to the top, then paint a vertical line down with Shift + arrow.
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Space');
  for (let i = 0; i < 9; i++) await page.keyboard.press('Shift+ArrowDown');
  await expect(pad).toHaveAttribute('prediction', '1');

  await pad.getByRole('button', { name: 'Load a sample digit' }).click();
  const note = pad.getByText(/Loaded test digit #[\d,]+ \(labelled (\d)\)/);
  await expect(note).toBeVisible();
  const label = /labelled (\d)/.exec((await note.textContent())!)![1];
  await expect(pad).toHaveAttribute('prediction', label);
});

test('the feature maps below the pad change when the drawing changes', async ({ page }) => {
  const pad = await openPad(page);
  const viewer = page.locator('activation-viewer');
  await stroke(page, vertical);
  await expect(pad).toHaveAttribute('prediction', '1');
  await expect(viewer.getByTestId('activation-prediction')).toHaveText(/reads a 1/);
  const firstMap = viewer.locator('activation-layer').first().locator('.maps canvas').first();
  const before = await firstMap.evaluate((c: HTMLCanvasElement) => c.toDataURL());

  await pad.getByRole('button', { name: 'Clear' }).click();
  await stroke(page, oval);
  await expect(pad).toHaveAttribute('prediction', '0');
  await expect(viewer.getByTestId('activation-prediction')).toHaveText(/reads a 0/);
  const after = await firstMap.evaluate((c: HTMLCanvasElement) => c.toDataURL());
  expect(after).not.toBe(before);
});
