import { expect, test } from '@playwright/test';

// Headless Chromium here renders WebGL in software (SwiftShader): the fastest backend that trains is WASM,
// with SIMD; the threaded build loads because the page is cross-origin isolated (tfjs picks the thread count).
test('on a software GPU the fastest backend is WebAssembly with SIMD, shown in the header', async ({ page }) => {
  await page.goto('./#/dataset');
  const active = page.getByTestId('backend');
  await expect(active).toHaveText(/^WebAssembly \(SIMD, \d+ threads?\)$/, { timeout: 60_000 });
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  // The user can still choose another backend.
  await page.getByLabel('Backend').selectOption('webgl');
  await expect(active).toHaveText('WebGL');
});
