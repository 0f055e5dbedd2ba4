import { expect, test, type Page } from '@playwright/test';
import { SMALL_SPEC } from '../../src/model/spec';
import { clickTrain, watchErrors } from './helpers';

// Training runs in a worker: these tests check what a learner feels (a page that answers, Pause and Stop at once,
// every run's model kept) and read tensors on both sides through window.digitLab.

declare global {
  interface Window {
    digitLab: { pageTensors(): number; modelTensors(): number; workerTensors(): Promise<number | null> };
    longTasks: [number, number][];
  }
}

const SMALL = `./?model=${encodeURIComponent(JSON.stringify(SMALL_SPEC))}#/training`;

async function openTraining(page: Page, url: string) {
  await page.goto(url);
  const panel = page.locator('train-panel');
  await expect(page.getByTestId('dataset-counts')).toBeVisible({ timeout: 60_000 });
  // The first estimate means the worker has started, has the data and has measured this device.
  await expect(panel.getByTestId('train-estimate')).toContainText(/≈ .* on this device/, { timeout: 120_000 });
  return panel;
}

/** Records every long task from now on in window.longTasks, as [start, duration] in ms. */
async function watchLongTasks(page: Page): Promise<void> {
  await page.evaluate(() => {
    window.longTasks = [];
    new PerformanceObserver((list) => list.getEntries().forEach((e) => window.longTasks.push([Math.round(e.startTime), Math.round(e.duration)]))).observe({ type: 'longtask' });
  });
}

/** Milliseconds from a click on a button of the training cell until `done()` holds in the page (polled every 2 ms). */
async function clickAndTime(page: Page, buttonName: string, done: string): Promise<number> {
  return page.evaluate(
    async ({ buttonName, done }) => {
      const panel = document.querySelector('lab-app')!.shadowRoot!.querySelector('lesson-view')!.shadowRoot!.querySelector('train-panel')!;
      const root = panel.shadowRoot!;
      const button = [...root.querySelectorAll('button')].find((b) => b.textContent?.trim() === buttonName)!;
      const check = new Function('panel', 'root', `return ${done}`) as (p: Element, r: ShadowRoot) => boolean;
      const start = performance.now();
      button.click();
      while (!check(panel, root)) await new Promise((r) => setTimeout(r, 2));
      return performance.now() - start;
    },
    { buttonName, done },
  );
}

test('the classic net trains and scores 10,000 test digits without blocking the page; other lessons answer meanwhile', async ({ page }) => {
  test.setTimeout(300_000);
  const errors = watchErrors(page);
  const panel = await openTraining(page, './#/training');
  await panel.getByLabel('Training images').fill('2000');
  await panel.getByLabel('Augmentation').uncheck();
  await expect(panel.getByTestId('train-estimate')).toContainText(/≈ .* on this device/, { timeout: 120_000 });
  // Long tasks with their start: those after the run's result arrived (drawing the results) are the page's own work,
  // not training or scoring.
  await watchLongTasks(page);
  await panel.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(panel.getByTestId('train-progress')).toContainText(/batch \d+\/57/, { timeout: 60_000 });
  const duringTraining = await page.evaluate(() => window.longTasks.map(([, ms]) => ms));

  // Another lesson opens and its fields take typing while the worker trains.
  await page.evaluate(() => (location.hash = '#/augmentation'));
  const augment = page.locator('augment-preview');
  const field = augment.getByRole('spinbutton').or(augment.getByRole('textbox')).first();
  await expect(field).toBeVisible({ timeout: 5_000 });
  const typed = Date.now();
  await field.fill('7');
  await expect(field).toHaveValue('7', { timeout: 1_000 });
  expect(Date.now() - typed).toBeLessThan(1_000);
  await expect(page.getByTestId('training-badge')).toContainText(/Training|Testing/);
  await page.evaluate(() => (location.hash = '#/training'));

  // Back on the training page (opening a lesson is the page's own work: not counted): the run went on, then the
  // test is scored in the worker too.
  const back = page.locator('train-panel');
  await expect(back.getByRole('button', { name: 'Stop' })).toBeEnabled();
  await page.waitForTimeout(500);
  await page.evaluate(() => (window.longTasks = []));
  await expect(back.getByTestId('test-progress')).toBeVisible({ timeout: 120_000 });
  await expect(back).toHaveAttribute('status', 'ready', { timeout: 180_000 });
  const duringScoring = await page.evaluate(() => {
    const returned = performance.getEntriesByName('digit-lab:run-returned').at(-1)?.startTime ?? Infinity;
    return window.longTasks.filter(([start]) => start < returned).map(([, ms]) => ms);
  });
  console.log('LONGTASKS', JSON.stringify({ duringTraining, duringScoring }));
  test.info().annotations.push({ type: 'long tasks (ms)', description: JSON.stringify({ duringTraining, duringScoring }) });
  expect(duringTraining.filter((ms) => ms > 100)).toEqual([]);
  expect(duringScoring.filter((ms) => ms > 100)).toEqual([]);
  await expect(back.getByTestId('test-accuracy')).toContainText('of 10,000 test images');
  expect(errors).toEqual([]);
});

test('Pause and Stop take effect at the end of the batch in hand (classic net, batch 32)', async ({ page }) => {
  test.setTimeout(240_000);
  const panel = await openTraining(page, './#/training');
  await panel.getByLabel('Training images').fill('20000');
  await panel.getByLabel('Augmentation').uncheck();
  await expect(panel.getByTestId('train-estimate')).toContainText(/≈ .* on this device/, { timeout: 120_000 });
  await clickTrain(panel);
  await expect(panel.getByTestId('train-progress')).toContainText(/batch [3-9]\d*\//, { timeout: 120_000 });
  const latencies: number[] = [];
  for (let i = 0; i < 3; i++) {
    latencies.push(await clickAndTime(page, 'Pause', "root.querySelector('train-progress').shadowRoot.textContent.includes('· paused')"));
    const batchWhenPaused = await panel.getByTestId('train-progress').innerText();
    await page.waitForTimeout(600);
    // Paused means paused: no batch ran meanwhile.
    expect(await panel.getByTestId('train-progress').innerText()).toBe(batchWhenPaused);
    await panel.getByRole('button', { name: 'Resume' }).click();
    await expect(panel.getByTestId('train-progress')).not.toContainText('paused');
    await page.waitForTimeout(400);
  }
  const stop = await clickAndTime(page, 'Stop', "panel.getAttribute('status') !== 'busy'");
  const figures = JSON.stringify({ pause: latencies.map(Math.round), stop: Math.round(stop) });
  test.info().annotations.push({ type: 'pause / stop (ms)', description: figures });
  console.log(`[figure] pause / stop latency (ms), classic net, batch 32: ${figures}`);
  await expect(panel.getByTestId('train-outcome')).toContainText('Stopped by you');
  // One batch of 32 classic-net images is the most the worker can need to finish (≈ 0.2 s at 150 images/s).
  for (const ms of [...latencies, stop]) expect(ms).toBeLessThan(400);

  // The stopped run kept training's running batch-norm averages: "Use this model" measures its statistics first,
  // on the page, a chunk of images at a time, and says so.
  await watchLongTasks(page);
  const run = panel.getByTestId('run-history').getByRole('listitem').first();
  await run.getByRole('button', { name: 'Use the model of run 1' }).click();
  await expect(panel.getByTestId('history-note')).toHaveText(
    'Run 1 was stopped before it measured its batch-norm statistics, so the lab measured them now over 512 training images: its model now scores what it learned.',
    { timeout: 60_000 },
  );
  await expect(run.getByTestId('model-in-use')).toBeVisible();
  await expect(panel.getByTestId('current-model')).toContainText('run 1: classic net');
  const measuring = await page.evaluate(() => window.longTasks.map(([, ms]) => ms));
  console.log(`[figure] long tasks while measuring a stopped run's batch norm (ms): ${JSON.stringify(measuring)}`);
  expect(measuring.filter((ms) => ms > 200)).toEqual([]);
});

test('five runs, “Use this model” on run 2, reload: run 2 is the lab’s model; Restore brings the shipped 99.6% back; no tensor left over', async ({ page }) => {
  test.setTimeout(360_000);
  const errors = watchErrors(page);
  const panel = await openTraining(page, SMALL);
  await panel.getByLabel('Training images').fill('1000');
  await panel.getByLabel('Augmentation').uncheck();
  const pageBaseline = await page.evaluate(() => window.digitLab.pageTensors());
  const workerBaseline = await page.evaluate(() => window.digitLab.workerTensors());
  expect(workerBaseline).not.toBeNull();
  const history = panel.getByTestId('run-history');
  for (let run = 1; run <= 5; run++) {
    await panel.getByLabel('Seed', { exact: true }).fill(String(run));
    await panel.getByRole('button', { name: 'Train', exact: true }).click();
    await expect(history.getByRole('listitem')).toHaveCount(run, { timeout: 120_000 });
    await expect(panel).toHaveAttribute('status', 'ready');
  }
  // A stop in mid-epoch too.
  await panel.getByLabel('Training images').fill('20000');
  await panel.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(panel.getByTestId('train-progress')).toContainText(/batch [3-9]\d*\//, { timeout: 60_000 });
  await panel.getByRole('button', { name: 'Stop' }).click();
  await expect(history.getByRole('listitem')).toHaveCount(6);
  await expect(history.getByRole('listitem').nth(5)).toContainText('stopped');
  // The stopped run did not replace run 5's model.
  await expect(history.getByRole('listitem').nth(4).getByTestId('model-in-use')).toBeVisible();

  await expect.poll(() => page.evaluate(() => window.digitLab.workerTensors())).toBe(workerBaseline);
  const modelTensors = await page.evaluate(() => window.digitLab.modelTensors());
  expect(await page.evaluate(() => window.digitLab.pageTensors())).toBe(pageBaseline + modelTensors);

  const run2 = history.getByRole('listitem').nth(1);
  const run2Accuracy = /([\d.]+)% test accuracy/.exec(await run2.innerText())![1];
  await run2.getByRole('button', { name: 'Use the model of run 2' }).click();
  await expect(run2.getByTestId('model-in-use')).toBeVisible();
  await expect(panel.getByTestId('current-model')).toContainText('run 2: small net trained on 900 images');
  await expect(panel.locator('model-files')).toContainText(`${run2Accuracy}% on the 10,000 test digits`);

  await page.reload();
  const again = page.locator('train-panel');
  await expect(again.getByTestId('current-model')).toContainText('run 2: small net trained on 900 images', { timeout: 60_000 });
  await expect(again.locator('model-files')).toContainText(`${run2Accuracy}% on the 10,000 test digits`);
  // The Draw lesson names the same model.
  await page.evaluate(() => (location.hash = '#/draw'));
  await expect(page.locator('draw-pad')).toContainText('run 2: small net', { timeout: 60_000 });
  await page.evaluate(() => (location.hash = '#/training'));
  await page.locator('train-panel').getByRole('button', { name: 'Restore the shipped model' }).click();
  await page.evaluate(() => (location.hash = '#/draw'));
  await expect(page.locator('draw-pad')).toContainText('99.6%', { timeout: 60_000 });
  expect(errors).toEqual([]);
});

test('a long run asks first and offers a quicker setting; the seed is in the form and the history', async ({ page }) => {
  test.setTimeout(240_000);
  const panel = await openTraining(page, './#/training');
  // Long enough to ask first (over 3 minutes), short enough not to be refused (the 4-hour cap), loaded machine or not.
  await panel.getByLabel('Training images').fill('60000');
  await panel.getByLabel('Epochs').fill('3');
  await expect(panel.getByTestId('train-estimate')).toContainText(/≈ .*(min|h|days) on this device/, { timeout: 120_000 });
  await panel.getByRole('button', { name: 'Train', exact: true }).click();
  const dialog = panel.getByRole('alertdialog', { name: 'Long run' });
  await expect(dialog).toContainText(/This run would take about .* on this device/);
  await dialog.getByRole('button', { name: /^Use [\d,]+ images, 1 epoch/ }).click();
  await expect(panel).toHaveAttribute('status', 'busy');
  const size = Number((await panel.getByLabel('Training images').inputValue()).replace(/,/g, ''));
  expect(size).toBeGreaterThanOrEqual(1000);
  expect(size).toBeLessThan(60000);
  await expect(panel.getByLabel('Epochs')).toHaveValue('1');
  await panel.getByRole('button', { name: 'Stop' }).click();
  await expect(panel).not.toHaveAttribute('status', 'busy', { timeout: 60_000 });
  await expect(panel.getByTestId('run-history')).toContainText('seed 42');
});

test('a training worker that cannot load says so in the page, and Train works again once it can', async ({ page }) => {
  test.setTimeout(240_000);
  // As when the lab is opened offline before it finished saving itself: the worker's script does not arrive.
  const workerScript = /training\.worker[^/]*\.js/;
  await page.route(workerScript, (route) => route.abort('internetdisconnected'));
  await page.goto(SMALL);
  const panel = page.locator('train-panel');
  await expect(page.getByTestId('dataset-counts')).toBeVisible({ timeout: 60_000 });
  await expect(panel.getByTestId('train-estimate')).toContainText('The training worker stopped working', { timeout: 60_000 });
  await panel.getByLabel('Training images').fill('1000');
  await panel.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(panel.getByRole('alert')).toContainText(/The training worker stopped working.*Train again/, { timeout: 60_000 });
  await expect(panel).not.toHaveAttribute('status', 'busy');
  await expect(panel.getByRole('button', { name: 'Train', exact: true })).toBeEnabled();

  await page.unroute(workerScript);
  await panel.getByLabel('Training images').fill('1200');
  await expect(panel.getByTestId('train-estimate')).toContainText(/≈ .* on this device/, { timeout: 120_000 });
  await panel.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(panel.getByTestId('test-accuracy')).toContainText(/Test accuracy: \d+\.\d%/, { timeout: 180_000 });
});
