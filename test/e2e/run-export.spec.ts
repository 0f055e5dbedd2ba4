// <run-export> mounted on its own in the built page: what each button saves, and what a learner reads when it cannot.
import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { watchErrors } from './helpers';

const SMALL = {
  version: 1,
  name: 'small',
  layers: [
    { type: 'conv2d', filters: 8, kernelSize: 5, strides: 1, padding: 'valid', activation: 'relu' },
    { type: 'maxPool2d', poolSize: 2 },
    { type: 'conv2d', filters: 16, kernelSize: 5, strides: 1, padding: 'valid', activation: 'relu' },
    { type: 'maxPool2d', poolSize: 2 },
    { type: 'flatten' },
    { type: 'dense', units: 10, activation: 'softmax' },
  ],
};
const SETTINGS = { epochs: 1, batchSize: 32, learningRate: 0.003, optimizer: 'adam', validationSplit: 0.1, trainSize: 2000, augment: true, seed: 42 };
const AUGMENT = { enabled: true, rotation: 10, widthShift: 0.1, heightShift: 0.1, shear: 10, zoom: 0.1 };

/** The small net's arrays as the lab hands them over: names, shapes, Float32Array values. */
const SMALL_WEIGHTS: [string, number[]][] = [
  ['conv2d/kernel', [5, 5, 1, 8]],
  ['conv2d/bias', [8]],
  ['conv2d_1/kernel', [5, 5, 8, 16]],
  ['conv2d_1/bias', [16]],
  ['dense/kernel', [256, 10]],
  ['dense/bias', [10]],
];

/** Mounts a <run-export>; `weights` is 'small' (the right arrays), 'failing' (the provider rejects) or 'none'. */
async function mount(page: Page, props: Record<string, unknown>, weights: 'small' | 'failing' | 'none'): Promise<void> {
  await page.evaluate(
    ({ props, weights, shapes }) => {
      const w = window as unknown as { saved: unknown[] };
      w.saved = [];
      const el = document.createElement('run-export');
      Object.assign(el, props);
      if (weights === 'small') {
        el.weights = async () => shapes.map(([name, shape]) => ({ name, shape, values: new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(0.5) }));
      } else if (weights === 'failing') {
        el.weights = () => Promise.reject(new Error('the stored model is gone'));
      }
      el.addEventListener('run-export-saved', (e) => w.saved.push(e.detail));
      const box = document.createElement('div');
      box.id = 'fixture';
      box.append(el);
      document.body.prepend(box);
    },
    { props, weights, shapes: SMALL_WEIGHTS },
  );
}

async function save(page: Page, name: string): Promise<{ file: string; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#fixture').getByRole('button', { name }).click()]);
  return { file: download.suggestedFilename(), bytes: await readFile((await download.path())!) };
}

test.beforeEach(async ({ page }) => {
  await page.goto('./');
  await page.waitForFunction(() => customElements.get('run-export') !== undefined);
});

test('<run-export>: a trained run saves a notebook, a script and Keras weights, each announced', async ({ page }) => {
  const errors = watchErrors(page);
  await mount(page, { spec: SMALL, settings: SETTINGS, augmentation: AUGMENT, testAccuracy: 0.81, backend: 'wasm', label: 'run 3' }, 'small');
  const cell = page.locator('#fixture run-export');
  await expect(cell.getByRole('group', { name: 'Take this run to Python' })).toBeVisible();

  const notebook = await save(page, 'Export as notebook');
  expect(notebook.file).toBe('digit-lab-small-run-3-seed42.ipynb');
  const json = JSON.parse(notebook.bytes.toString('utf8')) as { nbformat: number; cells: { cell_type: string; source: string[] }[] };
  expect(json.nbformat).toBe(4);
  expect(json.cells[0].source.join('')).toContain('| test accuracy in the lab | 81.00% on 10,000 test digits (trained on wasm) |');
  await expect(cell.getByRole('status')).toHaveText('Saved digit-lab-small-run-3-seed42.ipynb (18 KB).');

  const script = await save(page, 'Export as script');
  expect(script.file).toBe('digit-lab-small-run-3-seed42.py');
  expect(script.bytes.toString('utf8')).toContain('loss="sparse_categorical_crossentropy"');

  const weights = await save(page, 'Download weights for Keras');
  expect(weights.file).toBe('digit-lab-small-run-3-seed42.weights.h5');
  expect([...weights.bytes.subarray(0, 4)]).toEqual([0x89, 0x48, 0x44, 0x46]); // HDF5's signature
  await expect(cell.getByRole('status')).toContainText('Saved digit-lab-small-run-3-seed42.weights.h5');
  await expect(cell).toHaveAttribute('status', 'ready');

  const saved = await page.evaluate(() => (window as unknown as { saved: { kind: string; fileName: string }[] }).saved);
  expect(saved.map((d) => [d.kind, d.fileName])).toEqual([
    ['notebook', 'digit-lab-small-run-3-seed42.ipynb'],
    ['script', 'digit-lab-small-run-3-seed42.py'],
    ['weights', 'digit-lab-small-run-3-seed42.weights.h5'],
  ]);
  expect(errors).toEqual([]);
});

test('<run-export>: says why it cannot, and shows a failed weights download in an alert', async ({ page }) => {
  const errors = watchErrors(page);
  // Settings that were never trained: code yes, weights no, and the reason is on the page.
  await mount(page, { spec: SMALL, settings: SETTINGS, augmentation: AUGMENT }, 'none');
  const cell = page.locator('#fixture run-export');
  await expect(cell.getByRole('button', { name: 'Download weights for Keras' })).toBeDisabled();
  await expect(cell.getByRole('button', { name: 'Export as notebook' })).toBeEnabled();
  await expect(cell).toContainText('No weights to download: these settings have not been trained.');

  // Settings the lab would refuse: nothing to export, and the page says which setting.
  await cell.evaluate((el: HTMLElementTagNameMap['run-export']) => (el.settings = { ...el.settings!, seed: -5 }));
  await expect(cell.getByRole('button', { name: 'Export as script' })).toBeDisabled();
  await expect(cell).toContainText('Seed must be from 0');

  // The weights provider fails (the run's weights were dropped from storage): an alert, and the cell says error.
  await page.evaluate(() => document.getElementById('fixture')?.remove());
  await mount(page, { spec: SMALL, settings: SETTINGS, augmentation: AUGMENT }, 'failing');
  const failing = page.locator('#fixture run-export');
  await failing.getByRole('button', { name: 'Download weights for Keras' }).click();
  await expect(failing.getByRole('alert')).toHaveText('Could not make digit-lab-small-seed42.weights.h5. Something went wrong: the stored model is gone');
  await expect(failing).toHaveAttribute('status', 'error');
  expect(errors).toEqual([]);
});
