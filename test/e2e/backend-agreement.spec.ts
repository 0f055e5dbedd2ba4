import { expect, test, type Page } from '@playwright/test';
import { SMALL_SPEC } from '../../src/model/spec';
import { clickTrain, watchErrors } from './helpers';

// Backends must agree: the same weights give the same answers on WebAssembly, WebGL and CPU, and one seeded run
// learns the same on WebGL as on WebAssembly. Here WebGL is SwiftShader (software): it trains the classic net at
// ~4 images/s, so CI uses the small net; the classic-net runs are a benchmark (bench/page/agreement.mjs, and the
// GPU kit's training cell with --train-backend).

interface Figure {
  name: string;
  value: number;
  backend?: string;
  predictions?: string;
  mistakes?: number[];
  met?: boolean;
}

/** The in-page benchmark harness (bench/harness.ts) runs a named case on a backend. */
type RunBench = (name: string, backend: string) => Promise<Figure[]>;

test('the same weights score the same on WebAssembly, WebGL and CPU (2,000 test digits)', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('./bench.html');
  await page.waitForFunction(() => 'runBench' in window);
  const figures = await page.evaluate(() => (window as unknown as { runBench: RunBench }).runBench('agree-small', 'wasm'));
  const scores = figures.filter((f) => f.predictions);
  expect(scores.map((f) => f.backend)).toEqual(['wasm', 'webgl', 'cpu']);
  // A network that learned something: a disagreement would show.
  expect(scores[0].value).toBeGreaterThan(85);
  for (const f of scores.slice(1)) expect(Math.abs(f.value - scores[0].value), `${f.backend} vs wasm`).toBeLessThanOrEqual(0.1);
  expect(figures.find((f) => f.name.includes('largest difference'))?.met).toBe(true);
});

const SMALL = `?model=${encodeURIComponent(JSON.stringify(SMALL_SPEC))}#/training`;

/** One seeded run in the training cell on this backend (chosen in the address, as a shared link would): its test accuracy. */
async function seededRun(page: Page, backend: string): Promise<number> {
  await page.goto(`./?backend=${backend}&${SMALL.slice(1)}`);
  const panel = page.locator('train-panel');
  await expect(panel.getByText('Model to train: small')).toBeVisible();
  await expect(page.getByTestId('dataset-counts')).toBeVisible({ timeout: 60_000 });
  await panel.getByLabel('Training images').fill('5000');
  await panel.getByLabel('Epochs').fill('1');
  await panel.getByLabel('Batch size').fill('64');
  await panel.getByLabel('Seed', { exact: true }).fill('5');
  await panel.getByLabel('Augmentation').uncheck();
  // Train waits while the cell measures this device (software WebGL on a loaded machine: tens of seconds).
  await expect(panel.getByTestId('train-estimate')).toContainText(/≈ .* on this device/, { timeout: 120_000 });
  await clickTrain(panel, 90_000);
  await expect(panel).toHaveAttribute('status', 'busy', { timeout: 30_000 });
  await expect(panel).toHaveAttribute('status', 'ready', { timeout: 300_000 });
  await expect(panel.getByTestId('run-history')).toContainText(backend === 'webgl' ? 'WebGL' : 'WebAssembly');
  const text = await panel.getByTestId('test-accuracy').innerText();
  test.info().annotations.push({ type: backend, description: text });
  return Number(/Test accuracy: ([\d.]+)%/.exec(text)?.[1]);
}

test('one seeded run (small net, 1 epoch, 5,000 images) reaches the same test accuracy on WebGL and WebAssembly, within 1 point', async ({ page }) => {
  test.setTimeout(480_000);
  const errors = watchErrors(page);
  const webgl = await seededRun(page, 'webgl');
  const wasm = await seededRun(page, 'wasm');
  console.log(`seeded small-net run: WebGL ${webgl}%, WebAssembly ${wasm}%`);
  expect(wasm).toBeGreaterThan(85);
  expect(Math.abs(webgl - wasm), `WebGL ${webgl}% vs WebAssembly ${wasm}%`).toBeLessThanOrEqual(1);
  expect(errors.filter((e) => !/webgpu|adapter/i.test(e))).toEqual([]);
});
