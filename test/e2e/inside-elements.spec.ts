// Element-level tests of the Inside cells' parts, each mounted alone in the built page with made-up numbers:
// <activation-input-picker>, <saliency-view>, <activation-layer> (with <class-probabilities>) and <filter-layer>.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { mountElement, recordedEvents, watchErrors } from './helpers';

test.beforeEach(async ({ page }) => {
  await page.goto('./#/');
});

const rgbAt = (canvas: Locator, x: number, y: number) =>
  canvas.evaluate((c: HTMLCanvasElement, [x, y]) => Array.from(c.getContext('2d')!.getImageData(x, y, 1, 1).data.slice(0, 3)), [x, y]);

test.describe('<activation-input-picker>', () => {
  const PICKER_EVENTS = ['activation-source-change', 'activation-digit-change', 'activation-digit-invalid', 'activation-saliency-change'];

  test('without MNIST the digit controls are disabled; with it, a number or a random test digit is reported', async ({ page }) => {
    const errors = watchErrors(page);
    const picker = await mountElement(page, 'activation-input-picker', { split: 'train', index: 3 }, PICKER_EVENTS);
    await expect(picker.getByLabel('Digit number (training set)')).toBeDisabled();
    await expect(picker.getByRole('button', { name: 'Pick a random test digit' })).toBeDisabled();

    await page.evaluate(() => Object.assign(document.querySelector('#fixture activation-input-picker')!, { counts: { train: 60000, test: 10000 } }));
    const number = picker.getByLabel('Digit number (training set)');
    await expect(number).toHaveValue('3');
    await number.fill('7');
    await number.press('Enter');
    await number.fill('99999');
    await number.press('Enter');
    await picker.getByRole('button', { name: 'Pick a random test digit' }).click();
    const events = await recordedEvents(page);
    expect(events[0]).toEqual({ type: 'activation-digit-change', detail: { split: 'train', index: 7 } });
    expect(events[1]).toEqual({ type: 'activation-digit-invalid', detail: { message: 'Pick a digit number from 0 to 59,999.' } });
    const random = events[events.length - 1] as { type: string; detail: { split: string; index: number } };
    expect(random.type).toBe('activation-digit-change');
    expect(random.detail.split).toBe('test');
    expect(random.detail.index >= 0 && random.detail.index < 10000 && Number.isInteger(random.detail.index)).toBe(true);
    expect(errors).toEqual([]);
  });

  test('reports the source and the saliency switch; the digit controls go when the drawing is followed', async ({ page }) => {
    const picker = await mountElement(page, 'activation-input-picker', { counts: { train: 60000, test: 10000 } }, PICKER_EVENTS);
    await picker.getByLabel('My drawing').check();
    await picker.getByLabel('Show saliency').uncheck();
    expect(await recordedEvents(page)).toEqual([
      { type: 'activation-source-change', detail: { source: 'drawing' } },
      { type: 'activation-saliency-change', detail: { show: false } },
    ]);
    await page.evaluate(() => Object.assign(document.querySelector('#fixture activation-input-picker')!, { source: 'drawing' }));
    await expect(picker.getByLabel(/Digit number/)).toHaveCount(0);
    await expect(picker.getByRole('group', { name: 'Input' })).toBeVisible();
  });
});

test.describe('<saliency-view>', () => {
  /** A digit with one lit pixel at (10, 10), and a saliency map whose strongest pixel is (5, 5). */
  async function mountSaliency(page: Page): Promise<Locator> {
    const view = await mountElement(page, 'saliency-view');
    await page.evaluate(() => {
      const pixels = new Float32Array(784);
      pixels[10 * 28 + 10] = 1;
      const map = new Float32Array(784);
      map[5 * 28 + 5] = 1;
      const image = { pixels, caption: 'Test digit #4', label: 3 };
      Object.assign(document.querySelector('#fixture saliency-view')!, { image, saliency: { digit: 3, confidence: 0.9981, map, maxGradient: 2 } });
    });
    return view;
  }

  test('says what the network reads (role status) and paints the input with its saliency in red', async ({ page }) => {
    const errors = watchErrors(page);
    const view = await mountSaliency(page);
    await expect(view.getByRole('status')).toHaveText('The network reads a 3 (99.8% sure).');
    await expect(view.getByText('Test digit #4, labelled 3')).toBeVisible();
    const canvas = view.getByRole('img', { name: 'Test digit #4, with the pixels that drove the prediction in red' });
    await expect.poll(() => rgbAt(canvas, 5, 5)).toEqual([255, 40, 40]);
    expect(await rgbAt(canvas, 10, 10)).toEqual([255, 255, 255]);
    expect(await rgbAt(canvas, 0, 0)).toEqual([0, 0, 0]);
    expect(errors).toEqual([]);
  });

  test('without saliency the input is plain white on black and the explanation goes', async ({ page }) => {
    const view = await mountSaliency(page);
    await page.evaluate(() => Object.assign(document.querySelector('#fixture saliency-view')!, { showSaliency: false }));
    const canvas = view.getByRole('img', { name: 'Test digit #4' });
    await expect.poll(() => rgbAt(canvas, 5, 5)).toEqual([0, 0, 0]);
    await expect(view.getByText(/Saliency: red pixels/)).toHaveCount(0);
  });
});

test.describe('<activation-layer>', () => {
  /** Mounts a layer that `make` builds in the page (typed arrays cannot cross as JSON; a handle keeps them). */
  /** `heading`: the layer in words, as the block it belongs to names it (no tfjs names since issue 15). */
  async function mountLayer(page: Page, heading: string, make: () => unknown): Promise<Locator> {
    const layer = await mountElement(page, 'activation-layer', { heading });
    const made = await page.evaluateHandle(make);
    await page.evaluate((made) => Object.assign(document.querySelector('#fixture activation-layer')!, { layer: made }), made);
    return layer;
  }

  test('feature maps on one colour scale per layer, values on hover and on focus', async ({ page }) => {
    const errors = watchErrors(page);
    // 3 channels of 2×2: channel c holds c, c + 1, c + 2, c + 3.
    const layer = await mountLayer(
      page,
      '4. Convolution 3 · 3 filters 3×3',
      () => ({ layerName: 'conv2d_Conv2D2', className: 'Conv2D', shape: [2, 2, 3], kind: 'maps', activation: 'relu',
        channels: [0, 1, 2].map((c) => Float32Array.from([c, c + 1, c + 2, c + 3])),
        ranges: [0, 1, 2].map((c) => ({ min: c, max: c + 3 })) }),
    );
    await expect(layer.getByRole('heading')).toHaveText('4. Convolution 3 · 3 filters 3×3 → 2×2×3');
    const maps = layer.getByTestId('layer-maps').getByRole('img');
    await expect(maps).toHaveCount(3);
    await expect(layer.getByTestId('layer-maps')).toContainText('3 feature maps; point at one (or focus it) to read its values.');
    await maps.nth(1).hover();
    await expect(layer.getByTestId('layer-maps')).toContainText('Channel 2 of 3: values 1.00 … 4.00');
    await maps.nth(2).focus();
    await expect(layer.getByTestId('layer-maps')).toContainText('Channel 3 of 3: values 2.00 … 5.00');
    // One scale for the layer (0 … 5): channel 1's first value (0) is the scale's bottom, channel 3's last (5) its top.
    const bottom = await rgbAt(maps.nth(0), 0, 0);
    const top = await rgbAt(maps.nth(2), 1, 1);
    expect(bottom[0]).toBeLessThan(10);
    expect(top[0]).toBeGreaterThan(240);
    expect(errors).toEqual([]);
  });

  test('the softmax as ten labelled bars with the top class marked', async ({ page }) => {
    const layer = await mountLayer(
      page,
      '22. Output · 10 scores, softmax: probabilities',
      () => ({ layerName: 'dense_Dense2', className: 'Dense', shape: [10], kind: 'vector', activation: 'softmax',
        channels: [Float32Array.from([0.01, 0, 0, 0.002, 0, 0.975, 0, 0.013, 0, 0])], ranges: [{ min: 0, max: 0.975 }] }),
    );
    await expect(layer.getByRole('heading')).toHaveText('22. Output · 10 scores, softmax: probabilities → 10');
    const bars = layer.getByTestId('probabilities');
    // Each class: its digit, its bar, its percentage.
    await expect(bars.locator(':scope > span')).toHaveText(
      ['0', '1.0%', '1', '0.0%', '2', '0.0%', '3', '0.2%', '4', '0.0%', '5', '97.5%', '6', '0.0%', '7', '1.3%', '8', '0.0%', '9', '0.0%'],
    );
    await expect(bars.locator('.bar.top')).toHaveCount(1);
    await expect(bars.locator('.bar').nth(5)).toHaveClass(/top/);
    const width = await bars.locator('.bar.top span').evaluate((s: HTMLElement) => s.style.width);
    expect(width).toBe('97.5%');
  });

  test('a short vector as bars (negative ones marked), a long one and dropout as a sentence', async ({ page }) => {
    let layer = await mountLayer(
      page,
      '18. Dense 1 · 4 units',
      () => ({ layerName: 'dense_Dense1', className: 'Dense', shape: [4], kind: 'vector', activation: 'linear',
        channels: [Float32Array.from([-2, 1, 0.5, 4])], ranges: [{ min: -2, max: 4 }] }),
    );
    await expect(layer.getByRole('img', { name: '4 units, values -2.00 to 4.00' })).toBeVisible();
    const heights = await layer.locator('.vector span').evaluateAll((spans) => spans.map((s) => [s.className, (s as HTMLElement).style.height]));
    expect(heights).toEqual([['neg', '50%'], ['', '25%'], ['', '12.5%'], ['', '100%']]);

    await page.evaluate(() => document.querySelector('#fixture')!.remove());
    layer = await mountLayer(
      page,
      '17. Flatten · 3,136 numbers in a row',
      () => ({ layerName: 'flatten_Flatten1', className: 'Flatten', shape: [3136], kind: 'vector', activation: null,
        channels: [new Float32Array(3136)], ranges: [{ min: 0, max: 5.734 }] }),
    );
    await expect(layer).toContainText('Lays the maps out as one list of 3,136 numbers for the dense layer that follows (range 0.00 … 5.73).');

    await page.evaluate(() => document.querySelector('#fixture')!.remove());
    layer = await mountLayer(
      page,
      '8. Dropout',
      () => ({ layerName: 'dropout_Dropout1', className: 'Dropout', shape: [2], kind: 'vector', activation: null,
        channels: [new Float32Array(2)], ranges: [{ min: 0, max: 0 }] }),
    );
    await expect(layer).toContainText('Dropout only acts while training');
  });
});

test('<activation-layer>: 256 dense units do not set a minimum width (on a phone the bars scroll in their own box)', async ({ page }) => {
  const layer = await mountElement(page, 'activation-layer', { heading: '18. Dense 1 · 256 units' });
  await page.evaluate(() => {
    const values = Float32Array.from({ length: 256 }, (_, i) => Math.sin(i));
    const element = document.querySelector<HTMLElement>('#fixture activation-layer')!;
    // The narrowest the layer can be (what a grid or flex parent, like the lesson's column, may shrink it to).
    element.parentElement!.style.width = 'min-content';
    Object.assign(element, {
      layer: { layerName: 'dense_Dense1', className: 'Dense', shape: [256], kind: 'vector', activation: 'linear', channels: [values], ranges: [{ min: -1, max: 1 }] },
    });
  });
  await expect(layer.getByRole('img', { name: /256 units/ })).toBeVisible();
  // Before: the bars' 1 px minimum and 1 px gaps kept the layer at least 511 px wide, and on a phone the page with it.
  expect(await layer.evaluate((l) => l.getBoundingClientRect().width)).toBeLessThan(300);
});

test.describe('<filter-layer>', () => {
  test('a convolution\'s kernels with a legend; choosing an input channel repaints them', async ({ page }) => {
    const errors = watchErrors(page);
    const layer = await mountElement(page, 'filter-layer', { ordinal: 2 });
    // 3×3 kernels, 2 input channels, 4 outputs: weight = +0.5 on input channel 0, −0.5 on channel 1.
    await page.evaluate(() => {
      const values = Float32Array.from({ length: 3 * 3 * 2 * 4 }, (_, i) => (Math.floor(i / 4) % 2 === 0 ? 0.5 : -0.5));
      const filters = { layerName: 'conv2d_Conv2D2', layerIndex: 4, kernelHeight: 3, kernelWidth: 3, inChannels: 2, outChannels: 4, values, maxAbs: 0.5 };
      Object.assign(document.querySelector('#fixture filter-layer')!, { filters });
    });
    await expect(layer.getByRole('heading')).toHaveText('Convolution 2 · 4 filters 3×3 (each 3×3×2: one slice per feature map of the layer before)');
    await expect(layer.getByLabel(/Colour legend/)).toContainText('−0.50');
    await expect(layer.getByLabel(/Colour legend/)).toContainText('+0.50');
    const filter = layer.getByRole('img', { name: 'Filter 3 of convolution 2' });
    await expect(layer.getByRole('img', { name: /Filter \d of/ })).toHaveCount(4);
    // +0.5 = the top of the scale: red; −0.5 its bottom: blue.
    await expect.poll(async () => (await rgbAt(filter, 1, 1))[0]).toBeGreaterThan(100);
    expect((await rgbAt(filter, 1, 1))[2]).toBeLessThan(60);
    await layer.getByLabel('Input channel').selectOption({ label: '2 of 2' });
    await expect(layer.getByText(/weights on input channel 2/)).toBeVisible();
    await expect.poll(async () => (await rgbAt(filter, 1, 1))[2]).toBeGreaterThan(60);
    expect((await rgbAt(filter, 1, 1))[0]).toBeLessThan(60);
    expect(errors).toEqual([]);
  });
});
