import { expect, test } from '@playwright/test';

// "Fastest available" trains where a short measurement in the training worker says, and the training cell says why.
// Here (headless Chromium, no GPU) WebGL renders in software and WebGPU has no adapter: WebAssembly is measured and
// wins; the others say why they were not measured.
test('the training cell says which backend was measured fastest for this network, and keeps the answer across a reload', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto('./#/training');
  const panel = page.locator('train-panel');
  await expect(panel.getByTestId('train-estimate')).toContainText(/≈ .* on this device/, { timeout: 180_000 });
  const choice = panel.getByTestId('backend-choice');
  await expect(choice).toHaveText(
    new RegExp(
      // WebAssembly may train on two workers here, when splitting each batch measured faster (data-parallel.ts).
      '^Fastest available, measured on this device for this network at batch 32: WebAssembly( on 2 workers)?, [\\d,]+ images/s ' +
        '\\(WebGPU: (not available here|renders in software here, not measured); WebGL: renders in software here, not measured; ' +
        'CPU \\(plain JavaScript\\): not measured, WebAssembly runs the same work faster\\)\\.$',
    ),
  );
  await expect(panel).toContainText(/trains in a background\s+worker on WebAssembly \(SIMD, \d threads?\)/);
  const measured = await choice.innerText();

  // The answer is kept per device and network: a reload shows the same measured figure, not a new measurement.
  await page.reload();
  await expect(panel.getByTestId('train-estimate')).toContainText(/≈ .* on this device/, { timeout: 180_000 });
  await expect(choice).toHaveText(measured);

  // A backend chosen by the learner is used as chosen: no measured reason then.
  await page.getByLabel('Backend').selectOption('wasm');
  await expect(panel.getByTestId('train-estimate')).toContainText(/≈ .* on this device/, { timeout: 180_000 });
  await expect(choice).toHaveCount(0);
});
