import { expect, test, type Page } from '@playwright/test';
import { loadPreparedMnist } from '../../src/data/node';
import { MODEL_SPEC_VERSION, SMALL_SPEC } from '../../src/model/spec';
import { clickTrain, watchErrors } from './helpers';

// Nothing hangs, nothing is lost: a lost GPU context, hostile files and links, damaged storage (issue 18).

type DigitLab = { pageTensors(): number; loseTrainingContext(): Promise<boolean> };
const digitLab = (page: Page) => page.evaluate(() => (window as unknown as { digitLab: DigitLab }).digitLab.pageTensors());

const SMALL = `./?model=${encodeURIComponent(JSON.stringify(SMALL_SPEC))}`;

async function openTraining(page: Page, url: string) {
  await page.goto(url);
  const panel = page.locator('train-panel');
  await expect(page.getByTestId('dataset-counts')).toBeVisible({ timeout: 60_000 });
  await expect(panel.getByTestId('train-estimate')).toContainText(/≈ .* on this device/, { timeout: 120_000 });
  return panel;
}

/** A PNG of the first MNIST test digit labelled `digit`, as dark ink on light paper. */
async function digitPicture(page: Page, digit: number): Promise<Buffer> {
  const dataset = await loadPreparedMnist();
  let index = 0;
  while (dataset.label('test', index) !== digit) index++;
  const pixels = Array.from(dataset.image('test', index));
  const dataUrl = await page.evaluate((px) => {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 28;
    const ctx = canvas.getContext('2d')!;
    const image = ctx.createImageData(28, 28);
    px.forEach((v, i) => image.data.set([255 - v, 255 - v, 255 - v, 255], i * 4));
    ctx.putImageData(image, 0, 0);
    return canvas.toDataURL('image/png');
  }, pixels);
  return Buffer.from(dataUrl.split(',')[1], 'base64');
}

test('a lost GPU context during a WebGL run: alert within 1 s, run kept as interrupted, Train usable, the model still reads a 3, WASM offered', async ({ page }) => {
  test.setTimeout(360_000);
  const panel = await openTraining(page, `${SMALL}&backend=webgl#/training`);
  await expect(page.getByTestId('backend')).toHaveText('WebGL');
  await panel.getByLabel('Training images').fill('3000');
  // Small batches: the worker notices the loss when it next yields, at the end of the batch in hand.
  await panel.getByLabel('Batch size').fill('8');
  await panel.getByLabel('Augmentation').uncheck();
  // Software WebGL is slow: on a busy machine the run may ask first.
  await clickTrain(panel);
  await expect(panel.getByTestId('train-progress')).toContainText(/batch ([3-9]|\d\d+)\//, { timeout: 120_000 });
  // The GPU resets (WEBGL_lose_context on the worker's tfjs context); time from then until the cell's alert.
  const ms = await page.evaluate(async () => {
    const panel = document.querySelector('lab-app')!.shadowRoot!.querySelector('lesson-view')!.shadowRoot!.querySelector('train-panel')!;
    const start = performance.now();
    if (!(await (window as unknown as { digitLab: DigitLab }).digitLab.loseTrainingContext())) return -1;
    while (!panel.shadowRoot!.querySelector('[role="alert"]')) await new Promise((r) => setTimeout(r, 5));
    return performance.now() - start;
  });
  test.info().annotations.push({ type: 'context loss → alert', description: `${Math.round(ms)} ms` });
  expect(ms).toBeGreaterThanOrEqual(0);
  expect(ms).toBeLessThan(1000);
  await expect(panel.getByRole('alert')).toContainText(/Training was interrupted at epoch 1, batch \d+: the GPU context was lost/);
  await expect(panel).toHaveAttribute('status', 'error');
  await expect(panel.getByRole('button', { name: 'Train', exact: true })).toBeEnabled();
  await expect(panel.getByRole('button', { name: 'Stop' })).toBeDisabled();
  await expect(panel.getByTestId('run-history').getByRole('listitem')).toHaveCount(1);
  await expect(panel.getByTestId('run-history').getByRole('listitem').first()).toContainText('interrupted');
  await expect(panel.getByTestId('current-model')).toHaveText('the pre-trained model shipped with the lab');

  // The lab's model lives on the page, not in the lost context: it still reads a 3.
  await page.evaluate(() => (location.hash = '#/draw'));
  const pad = page.locator('draw-pad');
  await expect(pad).toHaveAttribute('status', 'ready', { timeout: 90_000 });
  await pad.getByLabel('Or use a picture').setInputFiles({ name: 'three.png', mimeType: 'image/png', buffer: await digitPicture(page, 3) });
  await expect(pad).toHaveAttribute('prediction', '3');

  // The same run again on WebAssembly, and Stop works there.
  await page.evaluate(() => (location.hash = '#/training'));
  await page.locator('train-panel').getByRole('button', { name: 'Continue on WebAssembly' }).click();
  await expect(page.getByTestId('backend')).toHaveText(/WebAssembly/);
  await expect(page).toHaveURL(/[?&]backend=wasm/);
  const again = page.locator('train-panel');
  await expect(again.getByTestId('train-progress')).toContainText(/batch \d+\//, { timeout: 120_000 });
  await again.getByRole('button', { name: 'Stop' }).click();
  await expect(again).toHaveAttribute('status', 'ready');
  await expect(again.getByTestId('run-history').getByRole('listitem')).toHaveCount(2);
});

test('the 208-byte million-unit model.json is refused with its numbers; no tensor, no heap; Train still works', async ({ page }) => {
  test.setTimeout(240_000);
  const panel = await openTraining(page, `${SMALL}#/training`);
  await expect(panel.getByTestId('current-model')).toBeVisible();
  const heap = () => page.evaluate(() => (performance as unknown as { memory: { usedJSHeapSize: number } }).memory.usedJSHeapSize);
  const tensors = await digitLab(page);
  const heapBefore = await heap();
  const json = JSON.stringify({
    modelTopology: { class_name: 'Sequential', config: { layers: [{ class_name: 'Dense', config: { units: 1000000, batch_input_shape: [null, 784] } }] } },
    weightsManifest: [{ paths: ['model.weights.bin'], weights: [] }],
    format: 'layers-model',
  });
  expect(json.length).toBeLessThan(260);
  const input = panel.getByLabel('Load a model (model.json and its weights .bin file)');
  await input.setInputFiles([
    { name: 'model.json', mimeType: 'application/json', buffer: Buffer.from(json) },
    { name: 'model.weights.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(0) },
  ]);
  await expect(panel.getByTestId('model-error')).toContainText(
    'This model has 785,000,000 parameters (3.1 GB of weights; “Dense_1/kernel” alone has 784,000,000): Digit Lab loads models of up to 20,000,000 parameters in a browser tab. The weight files given have 0 bytes. Nothing was loaded.',
  );
  expect(await digitLab(page)).toBe(tensors);
  expect(await heap()).toBeLessThan(heapBefore + 50e6);
  // A second upload, then a run: nothing is broken.
  await input.setInputFiles([
    { name: 'model.json', mimeType: 'application/json', buffer: Buffer.from(json) },
    { name: 'model.weights.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(0) },
  ]);
  await expect(panel.getByTestId('model-error')).toContainText('785,000,000 parameters');
  await panel.getByLabel('Training images').fill('1000');
  await panel.getByLabel('Augmentation').uncheck();
  await panel.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(panel).toHaveAttribute('status', 'ready', { timeout: 180_000 });
  await expect(panel.getByTestId('run-history').getByRole('listitem')).toHaveCount(1);
  expect(await digitLab(page)).toBe(tensors + (await page.evaluate(() => (window as unknown as { digitLab: { modelTensors(): number } }).digitLab.modelTensors())));
});

test('a heavy model from a shared link is refused before anything runs, with its cost; the page and Stop stay free', async ({ page }) => {
  const heavy = {
    version: MODEL_SPEC_VERSION,
    name: 'heavy',
    layers: [
      ...Array.from({ length: 5 }, () => ({ type: 'conv2d', filters: 512, kernelSize: 3, strides: 1, padding: 'same', activation: 'relu' })),
      { type: 'maxPool2d', poolSize: 4 },
      { type: 'flatten' },
      { type: 'dense', units: 10, activation: 'softmax' },
    ],
  };
  await page.goto(`./?model=${encodeURIComponent(JSON.stringify(heavy))}#/training`);
  const panel = page.locator('train-panel');
  await expect(panel.getByText('Model to train: heavy')).toBeVisible();
  await expect(page.getByTestId('dataset-counts')).toBeVisible({ timeout: 60_000 });
  // Not even measured: the estimate says why at once.
  await expect(panel.getByTestId('train-estimate')).toContainText('One training image costs', { timeout: 10_000 });
  await panel.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(panel.getByRole('alert')).toContainText(/^Nothing was started: One training image costs \d+ GFLOP through this network, \d+ times the classic net; Digit Lab trains networks of up to 2\.00 GFLOP per image\./);
  await expect(panel.getByRole('alert')).toContainText(/this run would take about \d+ (min|h|days)/);
  await expect(panel).toHaveAttribute('status', 'error');
  await expect(panel.getByTestId('train-progress')).toHaveCount(0);
  await expect(panel.getByRole('button', { name: 'Train', exact: true })).toBeEnabled();
});

test('a link with refused settings says which and why in one notice, and keeps what is valid', async ({ page }) => {
  const model = { version: MODEL_SPEC_VERSION, name: 'x', layers: [{ type: 'conv2d', filters: 1e9, kernelSize: 3, strides: 1, padding: 'same' }, { type: 'flatten' }, { type: 'dense', units: 10, activation: 'softmax' }] };
  const query = new URLSearchParams({ model: JSON.stringify(model), aug: '{"rotation":NaN}', train: JSON.stringify({ epochs: 3, batchSize: 0 }) });
  await page.goto(`./?${query}#/training`);
  const notices = page.locator('lab-app').getByRole('status').filter({ hasText: 'In the link you opened' });
  await expect(notices).toHaveCount(1);
  await expect(notices).toContainText('3 settings were refused, and the lab’s default used instead:');
  await expect(notices).toContainText('the model cannot be built: Layer 1');
  await expect(notices).toContainText('the augmentation settings are not valid JSON');
  await expect(notices).toContainText('batch size must be from 1 to 1,024 (got 0)');
  const panel = page.locator('train-panel');
  await expect(panel.getByText('Model to train: classic')).toBeVisible();
  await expect(panel.getByLabel('Epochs')).toHaveValue('3');
  await expect(panel.getByLabel('Batch size')).toHaveValue('32');
});

/** Writes `value` under `key` in the lab's IndexedDB store `digit-lab` / `state`. */
async function putState(page: Page, key: string, value: unknown): Promise<void> {
  await page.evaluate(
    ({ key, value }) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('digit-lab');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('state', 'readwrite');
          tx.objectStore('state').put(value, key);
          tx.oncomplete = () => (open.result.close(), resolve());
          tx.onerror = () => reject(tx.error);
        };
      }),
    { key, value },
  );
}

/** Replaces the stored weights of the lab's uploaded or run model with damaged data (`digit-lab-models`). */
async function damageStoredModels(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('digit-lab-models');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('models', 'readwrite');
          const store = tx.objectStore('models');
          let damaged = 0;
          store.openCursor().onsuccess = (event) => {
            const cursor = (event.target as IDBRequest<IDBCursorWithValue | null>).result;
            if (!cursor) return;
            cursor.update({ ...cursor.value, weightData: new ArrayBuffer(8) });
            damaged++;
            cursor.continue();
          };
          tx.oncomplete = () => (open.result.close(), resolve(damaged));
        };
      }),
  );
}

async function trainQuickly(page: Page) {
  const panel = page.locator('train-panel');
  await panel.getByLabel('Training images').fill('1000');
  await panel.getByLabel('Augmentation').uncheck();
  await panel.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(panel).toHaveAttribute('status', 'ready', { timeout: 180_000 });
}

const notice = (page: Page) => page.locator('lab-app').locator('p.notice');

test.describe('damaged storage: the page starts, says what was lost, keeps the rest, and a new run is kept', () => {
  test.setTimeout(300_000);

  for (const [name, value, says] of [
    ['a run history that is not a list ({length: 3})', { length: 3 }, 'The stored run history was damaged (it is not a list of runs)'],
    ['a run history of garbage', 'garbage', 'The stored run history was damaged (it is not a list of runs)'],
  ] as const) {
    test(name, async ({ page }) => {
      const errors = watchErrors(page);
      await openTraining(page, `${SMALL}#/training`);
      await putState(page, 'runs', value);
      await page.reload();
      await expect(notice(page)).toContainText(says);
      const panel = page.locator('train-panel');
      await expect(panel.getByTestId('run-history-empty')).toBeVisible();
      await trainQuickly(page);
      await expect(panel.getByTestId('run-history').getByRole('listitem')).toHaveCount(1);
      await page.reload();
      await expect(page.locator('train-panel').getByTestId('run-history').getByRole('listitem')).toHaveCount(1);
      await expect(notice(page)).toHaveCount(0);
      expect(errors).toEqual([]);
    });
  }

  test('damaged entries among good runs ([null, 1, a good run])', async ({ page }) => {
    const errors = watchErrors(page);
    await openTraining(page, `${SMALL}#/training`);
    await trainQuickly(page);
    const good = await page.evaluate(
      () =>
        new Promise<unknown>((resolve) => {
          const open = indexedDB.open('digit-lab');
          open.onsuccess = () => {
            const get = open.result.transaction('state').objectStore('state').get('runs');
            get.onsuccess = () => (open.result.close(), resolve((get.result as unknown[])[0]));
          };
        }),
    );
    await putState(page, 'runs', [null, 1, good]);
    await page.reload();
    await expect(notice(page)).toHaveText('2 damaged runs were dropped from the stored history (run 1, run 2); the other 1 is kept.');
    const panel = page.locator('train-panel');
    await expect(panel.getByTestId('run-history').getByRole('listitem')).toHaveCount(1);
    await expect(panel.getByTestId('current-model')).toContainText('run 1: small net');
    await trainQuickly(page);
    await expect(panel.getByTestId('run-history').getByRole('listitem')).toHaveCount(2);
    expect(errors).toEqual([]);
  });

  test('a damaged choice of model ("garbage") and a damaged saved model', async ({ page }) => {
    const errors = watchErrors(page);
    await openTraining(page, `${SMALL}#/training`);
    await putState(page, 'labModelChoice', 'garbage');
    await page.reload();
    await expect(notice(page)).toHaveText('The stored choice of model was damaged and has been reset. The lab uses the pre-trained model shipped with it instead.');
    const panel = page.locator('train-panel');
    await expect(panel.getByTestId('current-model')).toHaveText('the pre-trained model shipped with the lab');
    await expect(panel.getByTestId('current-model')).not.toContainText('undefined');
    // A run becomes the lab's model; then its stored weights are damaged.
    await trainQuickly(page);
    await expect(panel.getByTestId('current-model')).toContainText('run 1: small net');
    expect(await damageStoredModels(page)).toBe(1);
    await page.reload();
    await expect(notice(page)).toHaveText('The model of run 1 was damaged in this browser’s storage and has been removed. The lab uses the pre-trained model shipped with it instead.');
    const after = page.locator('train-panel');
    await expect(after.getByTestId('current-model')).toHaveText('the pre-trained model shipped with the lab');
    await expect(after.getByTestId('run-history').getByRole('listitem')).toHaveCount(1);
    await trainQuickly(page);
    await expect(after.getByTestId('run-history').getByRole('listitem')).toHaveCount(2);
    await page.reload();
    await expect(notice(page)).toHaveCount(0);
    await expect(page.locator('train-panel').getByTestId('current-model')).toContainText('run 2: small net');
    expect(errors).toEqual([]);
  });

  test('storage that refuses every write is named once; the lab works in memory', async ({ page }) => {
    await page.addInitScript(() => {
      const refuse = () => {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      };
      IDBObjectStore.prototype.put = refuse;
      IDBObjectStore.prototype.add = refuse;
    });
    const panel = await openTraining(page, `${SMALL}#/training`);
    await trainQuickly(page);
    await expect(panel.getByTestId('current-model')).toContainText('run 1: small net');
    await trainQuickly(page);
    await expect(panel.getByTestId('run-history').getByRole('listitem')).toHaveCount(2);
    await expect(notice(page)).toHaveCount(1);
    await expect(notice(page)).toHaveText('This browser refused to store the run history: runs will not be kept after a reload in this browser. Everything works until then.');
    await expect(panel.getByTestId('train-outcome')).toContainText('could not be stored (this browser’s storage is full): you can use it until you reload');
  });
});
