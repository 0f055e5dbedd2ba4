import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { SMALL_SPEC } from '../../src/model/spec';
import { watchErrors } from './helpers';

// The small net keeps these tests quick on software WebGL; the URL carries the model spec like a shared link.
const SMALL = `./?model=${encodeURIComponent(JSON.stringify(SMALL_SPEC))}#/training`;

async function openPanel(page: Page) {
  await page.goto(SMALL);
  const panel = page.locator('train-panel');
  await expect(panel.getByText('Model to train: small')).toBeVisible();
  await expect(page.getByTestId('dataset-counts')).toBeVisible();
  return panel;
}

test('training 2,000 images for one epoch: busy then ready, curves, test accuracy above 80%, run in the history', async ({ page }) => {
  test.setTimeout(360_000);
  const errors = watchErrors(page);
  const panel = await openPanel(page);
  await panel.getByLabel('Training images').fill('2000');
  await panel.getByLabel('Epochs').fill('1');
  // Augmentation makes one short epoch harder; this test is about the loop, not augmentation.
  await panel.getByLabel('Augmentation').uncheck();
  await expect(page).toHaveURL(/trainSize%22%3A2000|trainSize":2000/);
  await panel.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(panel).toHaveAttribute('status', 'busy');
  await expect(panel.getByTestId('train-progress')).toContainText(/Epoch 1\/1 · batch \d+\/57 · [\d,]+ images\/s/, { timeout: 120_000 });
  await expect(panel.getByRole('button', { name: 'Pause' })).toBeEnabled();
  await expect(panel).toHaveAttribute('status', 'ready', { timeout: 300_000 });
  // Curves are drawn by tfjs-vis inside the cell.
  await expect(panel.getByTestId('loss-chart').locator('canvas, svg').first()).toBeVisible();
  await expect(panel.getByTestId('accuracy-chart').locator('canvas, svg').first()).toBeVisible();
  await expect(panel.getByTestId('epoch-table')).toContainText('Validation accuracy');
  const accuracyText = await panel.getByTestId('test-accuracy').innerText();
  const accuracy = Number(/Test accuracy: ([\d.]+)%/.exec(accuracyText)?.[1]);
  expect(accuracy).toBeGreaterThan(80);
  expect(accuracyText).toContain('of 10,000 test images');
  // Clicking a confusion-matrix cell filters the gallery of mistakes.
  const cells = panel.locator('train-results table.confusion button:not([disabled])');
  const first = cells.first();
  const label = (await first.getAttribute('aria-label')) ?? '';
  const [, count, truth, predicted] = /^(\d+) test images of (\d) read as (\d)$/.exec(label) ?? [];
  await first.click();
  await expect(panel.getByTestId('mistake-count')).toHaveText(new RegExp(`^${count} of `));
  await expect(panel.getByRole('list', { name: 'Misclassified test digits' }).getByRole('listitem')).toHaveCount(Math.min(Number(count), 48));
  await expect(panel.getByRole('list', { name: 'Misclassified test digits' }).getByRole('listitem').first()).toContainText(`true ${truth} → ${predicted}`);
  // The run is in the history, and the trained model is the lab's model.
  const history = panel.getByTestId('run-history');
  await expect(history.getByRole('listitem')).toHaveCount(1);
  await expect(history).toContainText(`${accuracy.toFixed(1)}% test accuracy`);
  await expect(panel.getByTestId('current-model')).toContainText('small net trained on 1,800 images');
  // The model downloads as tfjs files and loads back.
  const downloads: { name: string; path: string }[] = [];
  page.on('download', async (d) => downloads.push({ name: d.suggestedFilename(), path: await d.path() }));
  await panel.getByRole('button', { name: 'Download model' }).click();
  await expect.poll(() => downloads.map((d) => d.name).sort()).toEqual(['digit-lab-model.json', 'digit-lab-model.weights.bin']);
  await panel.getByLabel('Load a model (model.json and its weights .bin file)').setInputFiles(downloads.map((d) => d.path).map((path, i) => ({ name: downloads[i].name, mimeType: 'application/octet-stream', buffer: readFileSync(path) })));
  await expect(panel.getByTestId('current-model')).toHaveText('loaded from digit-lab-model.json (uploaded)');
  await expect(panel.getByTestId('model-saved')).toBeVisible();
  // A reload keeps the history and the model.
  await page.reload();
  await expect(page.locator('train-panel').getByTestId('run-history').getByRole('listitem')).toHaveCount(1);
  await expect(page.locator('train-panel').getByTestId('current-model')).toHaveText('loaded from digit-lab-model.json (uploaded)');
  expect(errors).toEqual([]);
});

test('Stop in mid-run stops, keeps the run in the history, and Train works again', async ({ page }) => {
  test.setTimeout(240_000);
  const panel = await openPanel(page);
  await panel.getByLabel('Training images').fill('20000');
  await panel.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(panel.getByTestId('train-progress')).toContainText(/batch [3-9]\d*\//, { timeout: 120_000 });
  await panel.getByRole('button', { name: 'Pause' }).click();
  await expect(panel.getByRole('button', { name: 'Resume' })).toBeVisible();
  await expect(panel.getByTestId('train-progress')).toContainText('paused');
  await panel.getByRole('button', { name: 'Stop' }).click();
  await expect(panel).toHaveAttribute('status', 'ready');
  await expect(panel.getByTestId('train-outcome')).toContainText('Stopped by you');
  await expect(panel.getByTestId('run-history').getByRole('listitem').last()).toContainText('stopped');
  await expect(panel.getByRole('button', { name: 'Train', exact: true })).toBeEnabled();
});

test('a learning rate of “abc” is refused with a message, and nothing starts', async ({ page }) => {
  const panel = await openPanel(page);
  const rate = panel.getByLabel('Learning rate');
  await rate.fill('abc');
  await expect(rate).toHaveAttribute('aria-invalid', 'true');
  await expect(panel.getByText('Learning rate “abc” is not a number')).toBeVisible();
  await panel.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(panel.getByRole('alert')).toContainText('Nothing was started: Learning rate “abc” is not a number');
  await expect(panel).toHaveAttribute('status', 'error');
  await expect(panel.getByTestId('train-progress')).toHaveCount(0);
  await expect(panel.getByRole('button', { name: 'Stop' })).toBeDisabled();
  await panel.getByLabel('Training images').fill('500');
  await expect(panel.getByText('Training images must be from 1,000 to 60,000 (got 500).')).toBeVisible();
});

test('a truncated or malformed model file gets a clear message and changes nothing', async ({ page }) => {
  const panel = await openPanel(page);
  const before = await panel.getByTestId('current-model').innerText();
  const input = panel.getByLabel('Load a model (model.json and its weights .bin file)');
  await input.setInputFiles([{ name: 'model.json', mimeType: 'application/json', buffer: Buffer.from('{"modelTopology": ') }]);
  await expect(panel.getByTestId('model-error')).toContainText('model.json is not valid JSON');
  await input.setInputFiles([{ name: 'weights.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(10) }]);
  await expect(panel.getByTestId('model-error')).toContainText('no .json file was chosen');
  await expect(panel.getByTestId('current-model')).toHaveText(before);
});

test('on a GPU backend the cell offers a bigger batch with the learning rate scaled for it; on WebAssembly it does not', async ({ page }) => {
  test.setTimeout(180_000);
  const errors = watchErrors(page);
  await page.goto(`./?backend=webgl&${SMALL.slice(3)}`);
  const panel = page.locator('train-panel');
  await expect(panel.getByText('Model to train: small')).toBeVisible();
  const advice = panel.getByTestId('gpu-batch-advice');
  await expect(advice).toContainText('Training on a GPU: with a batch of 32', { timeout: 120_000 });
  await expect(advice).toContainText('√8 ≈ 2.8×');
  await advice.getByRole('button', { name: 'Use batch 256, learning rate 0.0085' }).click();
  await expect(panel.getByLabel('Batch size')).toHaveValue('256');
  await expect(panel.getByLabel('Learning rate')).toHaveValue('0.0085');
  await expect(page).toHaveURL(/batchSize%22%3A256|batchSize":256/);
  await expect(advice).toBeHidden();
  // Plain SGD scales by the batch ratio (the linear rule).
  await panel.getByLabel('Batch size').fill('64');
  await panel.getByLabel('Learning rate').fill('0.01');
  await panel.getByLabel('Optimizer').selectOption('sgd');
  await expect(advice.getByRole('button', { name: 'Use batch 256, learning rate 0.04' })).toBeVisible();
  await page.getByLabel('Backend').selectOption('wasm');
  await expect(panel.getByText(/worker on WebAssembly/)).toBeVisible({ timeout: 120_000 });
  await expect(advice).toBeHidden();
  expect(errors.filter((e) => !/webgpu|adapter/i.test(e))).toEqual([]);
});
