import { expect, test, type Page } from '@playwright/test';
import { watchErrors } from './helpers';

const cell = (page: Page) => page.locator('model-builder');
const layers = (page: Page) => cell(page).locator('ol.layers > li');
const layer = (page: Page, n: number) => layers(page).nth(n - 1);
/** What the editor shows, one string per layer, e.g. "Layer 1 of 6: Conv 2D 8 · 5×5 valid · relu". */
const layerLabels = (page: Page) => layers(page).evaluateAll((lis) => lis.map((li) => li.getAttribute('aria-label')));
const field = (page: Page, label: string, n: number) => cell(page).getByLabel(`${label} (layer ${n})`, { exact: true });
const paramTotal = (page: Page) => cell(page).getByTestId('param-total');

async function openModel(page: Page, query = ''): Promise<void> {
  await page.goto(`./${query}#/model`);
  await expect(cell(page)).toHaveAttribute('status', 'ready');
}

async function addLayer(page: Page, type: string, after?: string): Promise<void> {
  await cell(page).getByLabel('New layer').selectOption({ label: type });
  if (after) await cell(page).getByLabel('after', { exact: true }).selectOption({ label: after });
  await cell(page).getByRole('button', { name: 'Add layer' }).click();
}

test('the classic net is the default: 22 layers, 872,426 parameters, shapes in the list, diagram and table', async ({ page }) => {
  const errors = watchErrors(page);
  await openModel(page);
  await expect(layers(page)).toHaveCount(22);
  await expect(cell(page).getByRole('button', { name: 'Classic' })).toHaveAttribute('aria-pressed', 'true');
  await expect(paramTotal(page)).toHaveText('872,426');
  await expect(layer(page, 7).getByTestId('layer-output')).toHaveText('→ 14×14×32');
  await expect(layer(page, 17).getByTestId('layer-output')).toHaveText('→ 3136');
  await expect(cell(page).locator('table tbody tr').nth(18)).toContainText('Dense 256');
  await expect(cell(page).locator('table tbody tr').nth(18)).toContainText('803,072');
  // The d3 diagram draws one row per tensor (input + 22 layers) and names every shape.
  const diagram = cell(page).locator('model-diagram');
  await expect(diagram.locator('g.row')).toHaveCount(23);
  await expect(diagram.getByRole('img')).toHaveAttribute('aria-label', /17\. Flatten: 3136; 18\. Dense: 256/);
  await expect(cell(page).getByTestId('epoch-estimate')).toContainText(/Estimated time per epoch on .+: (about|under)/);
  expect(errors).toEqual([]);
});

test('adding a conv layer updates the parameter total to the right number', async ({ page }) => {
  await openModel(page);
  // Default position: just before the Flatten, i.e. on the 7×7×64 block.
  await addLayer(page, 'Conv 2D');
  await expect(layers(page)).toHaveCount(23);
  await expect(layer(page, 17)).toHaveAttribute('aria-label', /^Layer 17 of 23: Conv 2D 32 · 3×3 same · relu/);
  // + conv 3·3·64·32 + 32 = 18,464; the dense layer now sees 7·7·32 = 1,568 inputs: 401,664 instead of 803,072.
  await expect(paramTotal(page)).toHaveText((872_426 + 18_464 - 803_072 + 401_664).toLocaleString('en-US'));
  await expect(page).toHaveURL(/[?&]model=/);
  // Editing it updates the total again: 64 filters → conv 36,928, dense back to 803,072.
  await field(page, 'Filters', 17).fill('64');
  await expect(paramTotal(page)).toHaveText((872_426 + 36_928).toLocaleString('en-US'));
  await expect(cell(page).getByRole('button', { name: 'Classic' })).toHaveAttribute('aria-pressed', 'false');
});

test('an impossible model shows the message on the offending layer and the lab keeps the last valid model', async ({ page }) => {
  await openModel(page);
  await cell(page).getByRole('button', { name: 'Small' }).click();
  // conv 5·5·1·8 + 8 = 208, conv 5·5·8·16 + 16 = 3,216, dense 256·10 + 10 = 2,570.
  await expect(paramTotal(page)).toHaveText('5,994');
  // A third pooling layer on the 4×4 block, then a 5×5 window: nothing is left.
  await addLayer(page, 'Max pool', '4. Max pool 2×2');
  await expect(layers(page)).toHaveCount(7);
  await field(page, 'Pool size', 5).fill('5');
  const error = layer(page, 5).getByTestId('layer-error');
  await expect(error).toContainText('Layer 5 (Max pool): Pooling 5×5 shrinks the 4×4 input to 0×0');
  await expect(cell(page).getByTestId('layer-error')).toHaveCount(1);
  await expect(cell(page)).toHaveAttribute('status', 'error');
  await expect(cell(page).getByRole('alert')).toContainText('One problem: Layer 5 (Max pool)');
  await expect(cell(page).getByTestId('model-summary')).toContainText('the lab keeps the last valid model (7 layers');
  // The state (and so the URL) still holds the last valid model: the one with a 2×2 third pool.
  const url = new URL(page.url());
  expect(JSON.parse(url.searchParams.get('model') ?? '{}').layers[4]).toEqual({ type: 'maxPool2d', poolSize: 2 });
  // Removing the Flatten: the Dense layer says what is missing.
  await field(page, 'Pool size', 5).fill('2');
  await expect(cell(page)).toHaveAttribute('status', 'ready');
  await layer(page, 6).getByRole('button', { name: 'Remove layer 6 (Flatten)' }).click();
  await expect(layer(page, 6).getByTestId('layer-error')).toContainText('Layer 6 (Dense): A dense layer needs a flat input but gets a 2×2×16');
  await expect(layer(page, 6).getByTestId('layer-error')).toContainText('Add a Flatten layer before it');
  // Undo brings back the last valid model.
  await cell(page).getByRole('button', { name: 'Undo to the last valid model' }).click();
  await expect(layers(page)).toHaveCount(7);
  await expect(cell(page)).toHaveAttribute('status', 'ready');
  await expect(paramTotal(page)).toHaveText((208 + 3_216 + 650).toLocaleString('en-US'));
});

test('zero filters and a dropout rate of 1 are refused on their layer', async ({ page }) => {
  await openModel(page);
  await field(page, 'Filters', 1).fill('0');
  await expect(layer(page, 1).getByTestId('layer-error')).toContainText('Layer 1 (Conv 2D): zero filters');
  await field(page, 'Filters', 1).fill('32');
  await field(page, 'Rate', 8).fill('1');
  await expect(layer(page, 8).getByTestId('layer-error')).toContainText('Layer 8 (Dropout): The dropout rate must be at least 0 and below 1');
  await field(page, 'Rate', 8).fill('');
  await expect(layer(page, 8).getByTestId('layer-error')).toContainText('not empty');
});

test('a reload, and a copied link opened fresh, give back the same model', async ({ page, browser, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openModel(page);
  await cell(page).getByRole('button', { name: 'Small' }).click();
  await addLayer(page, 'Dropout', '4. Max pool 2×2');
  await field(page, 'Rate', 5).fill('0.3');
  await field(page, 'Activation', 3).selectOption('tanh');
  await cell(page).getByLabel('Name').fill('my net');
  const expected = await layerLabels(page);
  expect(expected).toHaveLength(7);
  expect(expected[4]).toBe('Layer 5 of 7: Dropout 0.3');
  expect(expected[2]).toBe('Layer 3 of 7: Conv 2D 16 · 5×5 valid · tanh');
  const total = await paramTotal(page).textContent();

  await page.reload();
  await expect(cell(page)).toHaveAttribute('status', 'ready');
  expect(await layerLabels(page)).toEqual(expected);
  await expect(cell(page).getByLabel('Name')).toHaveValue('my net');

  await cell(page).getByRole('button', { name: 'Copy link' }).click();
  await expect(cell(page).getByText('Copied the link to this model to the clipboard.')).toBeVisible();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toBe(page.url());

  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto(link);
  await expect(cell(other)).toHaveAttribute('status', 'ready');
  expect(await layerLabels(other)).toEqual(expected);
  await expect(paramTotal(other)).toHaveText(total ?? '');
  await fresh.close();
});

test('a malformed or impossible model in the link leaves the default', async ({ page }) => {
  const impossible = JSON.stringify({ version: 1, name: 'x', layers: [{ type: 'dense', units: 10, activation: 'softmax' }] });
  for (const model of ['{broken', impossible]) {
    await openModel(page, `?model=${encodeURIComponent(model)}`);
    await expect(layers(page)).toHaveCount(22);
    await expect(cell(page).getByRole('button', { name: 'Classic' })).toHaveAttribute('aria-pressed', 'true');
  }
});

test('keyboard reordering: Alt+Arrow on a layer or inside it, and the move buttons, with focus kept and the move announced', async ({ page }) => {
  await openModel(page);
  await cell(page).getByRole('button', { name: 'Small' }).click();
  const before = await layerLabels(page);
  const row2 = layer(page, 2);
  await row2.focus();
  await page.keyboard.press('Alt+ArrowUp');
  await expect(layer(page, 1)).toHaveAttribute('aria-label', 'Layer 1 of 6: Max pool 2×2');
  await expect(layer(page, 1)).toBeFocused();
  await expect(cell(page).getByTestId('announcer')).toHaveText('Moved Max pool from position 2 to 1 of 6.');
  // The pool now comes first: the conv sees 14×14 and outputs 10×10.
  await expect(layer(page, 2).getByTestId('layer-output')).toHaveText('→ 10×10×8');
  await page.keyboard.press('Alt+ArrowDown');
  expect(await layerLabels(page)).toEqual(before);

  // From inside a layer's input: the layer moves and the input keeps the focus.
  const filters = field(page, 'Filters', 3);
  await filters.focus();
  await page.keyboard.press('Alt+ArrowDown');
  await expect(layer(page, 4)).toHaveAttribute('aria-label', /^Layer 4 of 6: Conv 2D 16/);
  await expect(field(page, 'Filters', 4)).toBeFocused();
  await expect(field(page, 'Filters', 4)).toHaveValue('16');

  // The move buttons do the same.
  await layer(page, 4).getByRole('button', { name: 'Move layer 4 (Conv 2D) up' }).click();
  expect(await layerLabels(page)).toEqual(before);
  await expect(layer(page, 3).getByRole('button', { name: 'Move layer 3 (Conv 2D) up' })).toBeFocused();
});

test('layers can be reordered by dragging', async ({ page }) => {
  await openModel(page);
  await cell(page).getByRole('button', { name: 'Small' }).click();
  await layer(page, 2).locator('.handle').dragTo(layer(page, 1), { targetPosition: { x: 40, y: 5 } });
  await expect(layer(page, 1)).toHaveAttribute('aria-label', 'Layer 1 of 6: Max pool 2×2');
  await expect(layer(page, 2)).toHaveAttribute('aria-label', /^Layer 2 of 6: Conv 2D 8/);
});

test('the time per epoch follows the backend chosen in the header', async ({ page }) => {
  await openModel(page);
  const estimate = cell(page).getByTestId('epoch-estimate');
  // Auto picks WebAssembly on a machine whose GPU renders in software (as here), else the GPU.
  await expect(estimate).toContainText(/Estimated time per epoch on (WebAssembly|WebGL|WebGPU)/);
  await page.getByLabel('Backend').selectOption('cpu');
  await expect(estimate).toContainText('Estimated time per epoch on CPU (plain JavaScript)');
  await expect(estimate).toContainText('at 0.14 GFLOP/s');
  await expect(cell(page).getByTestId('model-summary')).toContainText('per epoch on CPU (plain JavaScript)');
});

test('export shows Keras code and JSON, with copy and download', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openModel(page);
  await cell(page).getByRole('button', { name: 'Dense only' }).click();
  const code = cell(page).getByTestId('export-code');
  await expect(code).toContainText('layers.Dense(128, activation="relu", kernel_initializer="he_normal"),');
  await expect(code).toContainText('layers.Dense(10, activation="softmax"),');
  await cell(page).getByRole('button', { name: 'Copy Keras code' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toContain('model = keras.Sequential(');

  await cell(page).getByRole('button', { name: 'JSON', exact: true }).click();
  const json = JSON.parse((await code.textContent()) ?? '');
  expect(json).toEqual({
    version: 1,
    name: 'dense only',
    layers: [{ type: 'flatten' }, { type: 'dense', units: 128, activation: 'relu' }, { type: 'dense', units: 10, activation: 'softmax' }],
  });
  const [download] = await Promise.all([page.waitForEvent('download'), cell(page).getByRole('button', { name: 'Download JSON' }).click()]);
  expect(download.suggestedFilename()).toBe('dense_only.json');
  const path = await download.path();
  const { readFile } = await import('node:fs/promises');
  expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(json);
});

test('a model can be loaded from pasted JSON; bad JSON is refused with a message and changes nothing', async ({ page }) => {
  await openModel(page);
  await cell(page).getByText('Load a model from JSON').click();
  const box = cell(page).getByLabel("Paste a model's JSON");
  await box.fill('{"version": 1, "layers": [');
  await cell(page).getByRole('button', { name: 'Load pasted JSON' }).click();
  await expect(cell(page).getByRole('alert')).toContainText('The pasted text is not valid JSON');
  await box.fill('{"version": 1, "layers": [{"type": "lstm"}]}');
  await cell(page).getByRole('button', { name: 'Load pasted JSON' }).click();
  await expect(cell(page).getByRole('alert')).toContainText('is not a Digit Lab model');
  await expect(layers(page)).toHaveCount(22);

  const spec = { version: 1, name: 'pasted', layers: [{ type: 'flatten' }, { type: 'dense', units: 32, activation: 'elu' }, { type: 'dense', units: 10, activation: 'softmax' }] };
  await box.fill(JSON.stringify(spec));
  await cell(page).getByRole('button', { name: 'Load pasted JSON' }).click();
  await expect(layers(page)).toHaveCount(3);
  await expect(cell(page).getByRole('alert')).toHaveCount(0);
  // 784·32 + 32 + 32·10 + 10
  await expect(paramTotal(page)).toHaveText((784 * 32 + 32 + 330).toLocaleString('en-US'));
  await expect(cell(page).getByLabel('Name')).toHaveValue('pasted');
  expect(JSON.parse(new URL(page.url()).searchParams.get('model') ?? '{}')).toEqual(spec);
});
