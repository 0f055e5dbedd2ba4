// Element-level tests of the drawing cell's parts: <digit-prediction> and <preprocess-steps> mounted alone in the
// built page, and the pad's input and picture handling inside <draw-pad> on #/draw.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { mountElement, watchErrors } from './helpers';

/** Opens the built lab and mounts `tag` alone. */
async function mount(page: Page, tag: string): Promise<Locator> {
  await page.goto('./#/');
  return mountElement(page, tag);
}

test('<digit-prediction> shows the answer big and a meter per digit, or its placeholder', async ({ page }) => {
  const errors = watchErrors(page);
  const view = await mount(page, 'digit-prediction');
  await page.evaluate(() => Object.assign(document.querySelector('digit-prediction')!, { placeholder: 'Draw a digit to see what the network reads.' }));
  await expect(view.getByText('Draw a digit to see what the network reads.')).toBeVisible();
  await expect(view.getByRole('meter')).toHaveCount(10);
  await expect(view.getByRole('meter', { name: 'Confidence for 3' })).toHaveAttribute('aria-valuenow', '0');

  await page.evaluate(() => {
    const probabilities = Array.from({ length: 10 }, (_, d) => (d === 7 ? 0.9812 : d === 1 ? 0.0188 : 0));
    Object.assign(document.querySelector('digit-prediction')!, { result: { probabilities, digit: 7, confidence: 0.9812 } });
  });
  await expect(view.getByText(/It reads\s*7\s*98\.1% sure/)).toBeVisible();
  await expect(view.getByRole('meter', { name: 'Confidence for 7' })).toHaveAttribute('aria-valuenow', '98');
  await expect(view.getByRole('meter', { name: 'Confidence for 1' })).toHaveAttribute('aria-valuenow', '2');
  await expect(view.locator('.bar.top')).toHaveCount(1);
  await expect(view.locator('.pct').nth(1)).toHaveText('1.9%');
  expect(errors).toEqual([]);
});

test('<preprocess-steps> shows each step white on black in its proportions, or a note while there is no ink', async ({ page }) => {
  const errors = watchErrors(page);
  const view = await mount(page, 'preprocess-steps');
  await expect(view.getByText('The four preparation steps appear here once there is ink on the pad.')).toBeVisible();

  await page.evaluate(() => {
    const image = (width: number, height: number, value: number) => ({ width, height, data: new Float32Array(width * height).fill(value) });
    Object.assign(document.querySelector('preprocess-steps')!, {
      steps: { raw: image(280, 280, 0), box: { x: 60, y: 30, width: 146, height: 208 }, cropped: image(146, 208, 1), scaled: image(14, 20, 0.5), centred: image(28, 28, 1) },
    });
  });
  await expect(view.locator('canvas.step')).toHaveCount(4);
  await expect(view.locator('figcaption')).toHaveText(['Your drawing', 'Cropped to the ink (146×208)', 'Scaled to 14×20', 'Centred by mass in 28×28: the input']);
  const cropped = view.getByLabel('Cropped to the ink (146×208)');
  // 146×208 shown in the 84 px frame keeps its proportions: 59×84.
  expect(await cropped.evaluate((c: HTMLElement) => [c.style.width, c.style.height])).toEqual(['59px', '84px']);
  const grey = await view.getByLabel('Scaled to 14×20').evaluate((c: HTMLCanvasElement) => [c.width, c.height, c.getContext('2d')!.getImageData(3, 3, 1, 1).data[0]]);
  expect(grey).toEqual([14, 20, 128]);
  expect(errors).toEqual([]);
});

async function openPad(page: Page): Promise<Locator> {
  await page.goto('./');
  await page.evaluate(() => (location.hash = '#/draw'));
  const pad = page.locator('draw-pad');
  await expect(pad).toHaveAttribute('status', 'ready', { timeout: 90_000 });
  return pad;
}

test('with a picture on the pad, drawing over it makes no new canvas per pointer move (it used to make a 280×280 one each time)', async ({ page }) => {
  const errors = watchErrors(page);
  const pad = await openPad(page);
  await pad.getByRole('button', { name: 'Load a sample digit' }).click();
  await expect(pad.getByText(/Loaded test digit #/)).toBeVisible();
  await expect(pad).toHaveAttribute('prediction', /\d/);
  await page.evaluate(() => {
    const counter = window as unknown as { canvasesMade: number };
    counter.canvasesMade = 0;
    const create = document.createElement.bind(document);
    document.createElement = ((tag: string, options?: ElementCreationOptions) => {
      if (tag.toLowerCase() === 'canvas') counter.canvasesMade++;
      return create(tag, options);
    }) as typeof document.createElement;
  });
  const box = (await pad.locator('canvas.pad').boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.2);
  await page.mouse.down();
  for (let k = 1; k <= 20; k++) await page.mouse.move(box.x + box.width * (0.2 + 0.03 * k), box.y + box.height * 0.2);
  expect(await page.evaluate(() => (window as unknown as { canvasesMade: number }).canvasesMade)).toBe(0);
  await page.mouse.up();
  // The picture is still there under the new stroke: Undo takes the stroke away, not the picture.
  await pad.getByRole('button', { name: 'Undo' }).click();
  await expect(pad.locator('preprocess-steps canvas.step')).toHaveCount(4);
  expect(errors).toEqual([]);
});

test('draw-prediction tells the page the answer and its latency once it is on screen', async ({ page }) => {
  const pad = await openPad(page);
  const detail = page.evaluate(
    () => new Promise<Record<string, unknown>>((resolve) => document.addEventListener('draw-prediction', (e) => resolve({ ...(e as CustomEvent).detail }), { once: true })),
  );
  await pad.locator('canvas.pad').focus();
  await page.keyboard.press('Space');
  for (let i = 0; i < 5; i++) await page.keyboard.press('Shift+ArrowDown');
  const answer = await detail;
  const probabilities = answer.probabilities as number[];
  expect(probabilities).toHaveLength(10);
  expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
  expect(answer.confidence).toBe(Math.max(...probabilities));
  expect(answer.digit).toBe(probabilities.indexOf(answer.confidence as number));
  expect(answer.latencyMs).toBeGreaterThanOrEqual(0);
  expect(answer.latencyMs).toBeLessThan(10_000);
  await expect(pad.getByTestId('model-badge')).toHaveText(/^Model: The pre-trained model/);
});

test('a blank picture dropped on the pad is refused with a message, and the drawing stays', async ({ page }) => {
  const pad = await openPad(page);
  await pad.locator('canvas.pad').focus();
  await page.keyboard.press('Space');
  for (let i = 0; i < 5; i++) await page.keyboard.press('Shift+ArrowDown');
  await expect(pad).toHaveAttribute('prediction', /\d/);
  const before = await pad.getAttribute('prediction');
  await pad.locator('.pad-wrap').evaluate(async (target) => {
    const canvas = document.createElement('canvas');
    canvas.width = 120;
    canvas.height = 90;
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#fafafa';
    ctx.fillRect(0, 0, 120, 90);
    const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
    const transfer = new DataTransfer();
    transfer.items.add(new File([blob], 'blank.png', { type: 'image/png' }));
    target.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  });
  await expect(pad.getByRole('alert')).toHaveText('No digit found in “blank.png”: the picture looks blank. Try a photo with dark ink on light paper.');
  await expect(pad).toHaveAttribute('status', 'error');
  await expect(pad).toHaveAttribute('prediction', before!);
  await expect(pad.locator('preprocess-steps canvas.step')).toHaveCount(4);
});
