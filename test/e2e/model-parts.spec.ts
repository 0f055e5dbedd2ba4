// Element-level tests: each part of the model cell (and the shared model badge) mounted on its own in the built
// page, driven through what a user sees, with its typed events checked.
import { expect, test, type Page } from '@playwright/test';
import { watchErrors } from './helpers';

/** Mounts `tag` in a fixture box with the given properties; records the named events' details in window.events. */
async function mount(page: Page, tag: string, props: Record<string, unknown>, events: string[] = []): Promise<void> {
  await page.evaluate(
    ({ tag, props, events }) => {
      const w = window as unknown as { events: { type: string; detail: unknown }[] };
      w.events = [];
      const box = document.createElement('div');
      box.id = 'fixture';
      const el = document.createElement(tag);
      Object.assign(el, props);
      for (const type of events) el.addEventListener(type, (e) => w.events.push({ type, detail: (e as CustomEvent).detail }));
      box.append(el);
      document.body.prepend(box);
    },
    { tag, props, events },
  );
}

const events = (page: Page) => page.evaluate(() => (window as unknown as { events: { type: string; detail: unknown }[] }).events);

test.beforeEach(async ({ page }) => {
  await page.goto('./');
  await page.waitForFunction(() => customElements.get('model-builder') !== undefined);
});

test('<layer-row>: labelled settings, move and remove buttons, each reported as a typed event', async ({ page }) => {
  const errors = watchErrors(page);
  const conv = { type: 'conv2d', filters: 8, kernelSize: 5, strides: 1, padding: 'valid', activation: 'relu' };
  const info = { index: 0, description: 'Conv 2D 8 · 5×5 valid · relu', outputShape: [24, 24, 8], params: 208, multiplyAdds: 115200, error: null };
  await mount(page, 'layer-row', { layer: conv, info, index: 0, total: 3, layerKey: 7 }, ['layer-change', 'layer-move', 'layer-remove']);
  const row = page.locator('#fixture layer-row');
  await expect(row.getByTestId('layer-output')).toHaveText('→ 24×24×8');
  await expect(row.getByRole('button', { name: 'Move layer 1 (Conv 2D) up' })).toBeDisabled();
  await row.getByLabel('Filters (layer 1)', { exact: true }).fill('12');
  await row.getByLabel('Padding (layer 1)').selectOption('same');
  await row.getByRole('button', { name: 'Move layer 1 (Conv 2D) down' }).click();
  await row.getByRole('button', { name: 'Remove layer 1 (Conv 2D)' }).click();
  expect(await events(page)).toEqual([
    { type: 'layer-change', detail: { index: 0, patch: { filters: 12 } } },
    { type: 'layer-change', detail: { index: 0, patch: { padding: 'same' } } },
    { type: 'layer-move', detail: { from: 0, to: 1, control: 'down' } },
    { type: 'layer-remove', detail: { index: 0 } },
  ]);
  // focusControl: a disabled control cannot take the focus (the list then focuses the row).
  expect(await row.evaluate((el: HTMLElementTagNameMap['layer-row']) => el.focusControl('up'))).toBe(false);
  expect(await row.evaluate((el: HTMLElementTagNameMap['layer-row']) => el.focusControl('filters'))).toBe(true);
  await expect(row.getByLabel('Filters (layer 1)', { exact: true })).toBeFocused();
  // A layer without settings says what it does.
  await row.evaluate((el: HTMLElementTagNameMap['layer-row']) => (el.layer = { type: 'flatten' }));
  await expect(row).toContainText('Unrolls height × width × channels');
  expect(errors).toEqual([]);
});

test('<model-export>: Keras and JSON views of the spec it is given; pasted JSON is checked before model-import fires', async ({ page }) => {
  const spec = { version: 1, name: 'tiny', layers: [{ type: 'flatten' }, { type: 'dense', units: 10, activation: 'softmax' }] };
  await mount(page, 'model-export', { spec, draftValid: false }, ['model-import']);
  const view = page.locator('#fixture model-export');
  await expect(view.getByRole('heading', { name: 'Export (the last valid model)' })).toBeVisible();
  await expect(view.getByTestId('export-code')).toContainText('layers.Dense(10, activation="softmax"),');
  await view.getByRole('button', { name: 'JSON', exact: true }).click();
  expect(JSON.parse((await view.getByTestId('export-code').textContent()) ?? '')).toEqual(spec);

  await view.getByText('Load a model from JSON').click();
  const box = view.getByLabel("Paste a model's JSON");
  await box.fill('[1, 2');
  await view.getByRole('button', { name: 'Load pasted JSON' }).click();
  await expect(view.getByRole('alert')).toContainText('The pasted text is not valid JSON');
  expect(await events(page)).toEqual([]);
  const other = { ...spec, name: 'other', layers: [{ type: 'flatten' }, { type: 'dense', units: 10, activation: 'softmax' }] };
  await box.fill(JSON.stringify(other));
  await view.getByRole('button', { name: 'Load pasted JSON' }).click();
  await expect(view.getByRole('alert')).toHaveCount(0);
  expect(await events(page)).toEqual([{ type: 'model-import', detail: { spec: other, source: 'The pasted text' } }]);
});

test('<model-cost>: the table for any analysis; the estimate waits for the backend and is left out for an impossible model', async ({ page }) => {
  await page.evaluate(() => (location.hash = '#/model'));
  const builderCost = page.locator('model-builder model-cost');
  await expect(builderCost.getByTestId('epoch-estimate')).toBeVisible();
  // The same analysis, mounted on its own without an estimate.
  const analysis = await builderCost.evaluate((el: HTMLElementTagNameMap['model-cost']) => el.analysis);
  await mount(page, 'model-cost', { analysis });
  const cost = page.locator('#fixture model-cost');
  await expect(cost.getByTestId('param-total')).toHaveText('872,426');
  await expect(cost).toContainText('Time per epoch: waiting for the backend to start…');
  await cost.evaluate((el: HTMLElementTagNameMap['model-cost']) => (el.analysis = { ...el.analysis!, valid: false }));
  await expect(cost).not.toContainText('Time per epoch');
  await expect(cost.getByTestId('param-total')).toHaveText('872,426');
});

test('<lab-model-badge>: names the model and its test accuracy once', async ({ page }) => {
  await mount(page, 'lab-model-badge', { model: null });
  const badge = page.locator('#fixture lab-model-badge');
  await expect(badge).toHaveText('Model: loading…');
  await badge.evaluate((el: HTMLElementTagNameMap['lab-model-badge']) => {
    el.model = { description: 'small net trained on 54,000 images', testAccuracy: 0.9812 } as HTMLElementTagNameMap['lab-model-badge']['model'];
  });
  await expect(badge).toHaveText('Model: small net trained on 54,000 images — 98.1% on the 10,000 test digits.');
  // A description that already gives the accuracy (the shipped model's) does not repeat it.
  await badge.evaluate((el: HTMLElementTagNameMap['lab-model-badge']) => {
    el.model = { description: 'The pre-trained model (classic network, 99.6% on the 10,000 test digits)', testAccuracy: 0.996 } as HTMLElementTagNameMap['lab-model-badge']['model'];
  });
  await expect(badge).toHaveText('Model: The pre-trained model (classic network, 99.6% on the 10,000 test digits).');
});

test('on a phone (390 px) the layer rows and the cost table stay inside the model cell', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 800 });
  await page.evaluate(() => (location.hash = '#/model'));
  const cell = page.locator('model-builder');
  await expect(cell).toHaveAttribute('status', 'ready');
  const cellRight = await cell.evaluate((el) => el.getBoundingClientRect().right);
  const rights = await cell.locator('ol.layers > li').evaluateAll((lis) => lis.map((li) => li.getBoundingClientRect().right));
  expect(rights).toHaveLength(22);
  expect(Math.max(...rights)).toBeLessThanOrEqual(cellRight);
  // The table scrolls sideways inside its own box rather than widening the cell.
  const cost = await cell.locator('model-cost').evaluate((el) => el.getBoundingClientRect().right);
  expect(cost).toBeLessThanOrEqual(cellRight);
  const remove = await cell.getByRole('button', { name: 'Remove layer 1 (Conv 2D)' }).evaluate((el) => el.getBoundingClientRect().right);
  expect(remove).toBeLessThanOrEqual(cellRight);
});
