// Element-level tests of the Beyond-digits cell's parts, each mounted alone in the built page with made-up data, and
// their typed events checked.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { mountElement, recordedEvents, watchErrors } from './helpers';

async function mount(page: Page, tag: string, props: Record<string, unknown>, events: string[] = []): Promise<Locator> {
  await page.goto('./#/');
  return mountElement(page, tag, props, events);
}

test('<symbol-classes> chooses, adds and deletes classes by events, and shows a refused name in an alert', async ({ page }) => {
  const errors = watchErrors(page);
  const view = await mount(page, 'symbol-classes', { classes: [{ name: '+', count: 12 }, { name: '×', count: 1 }], selected: '+' }, ['symbol-class-add', 'symbol-class-select', 'symbol-class-remove']);
  await expect(view.getByRole('radio', { name: '+' })).toBeChecked();
  await expect(view.getByText('1 drawing', { exact: true })).toBeVisible();
  await view.getByRole('radio', { name: '×' }).check();
  await view.getByRole('button', { name: 'Delete class “+”' }).click();
  await view.getByLabel('New class name').fill('=');
  await view.getByLabel('New class name').press('Enter');
  await view.getByRole('button', { name: 'Add class' }).click();
  expect(await recordedEvents(page)).toEqual([
    { type: 'symbol-class-select', detail: { name: '×' } },
    { type: 'symbol-class-remove', detail: { name: '+' } },
    { type: 'symbol-class-add', detail: { name: '=' } },
    { type: 'symbol-class-add', detail: { name: '=' } },
  ]);
  await page.evaluate(() => Object.assign(document.querySelector('symbol-classes')!, { error: 'There is already a class called “=”.' }));
  await expect(view.getByRole('alert')).toHaveText('There is already a class called “=”.');
  await expect(view.getByLabel('New class name')).toHaveAttribute('aria-invalid', 'true');
  // Typing again clears the complaint.
  await view.getByLabel('New class name').fill('÷');
  await expect(view.getByRole('alert')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('<symbol-reading> shows a meter per class with its name, the top one marked', async ({ page }) => {
  const reading = { labels: [...'0123456789', '+', '×'], probabilities: [...Array(10).fill(0.001), 0.985, 0.005], index: 10, label: '+', confidence: 0.985 };
  const view = await mount(page, 'symbol-reading', { reading });
  await expect(view.getByText(/It reads\s*\+\s*98\.5% sure/)).toBeVisible();
  await expect(view.getByRole('meter')).toHaveCount(12);
  await expect(view.getByRole('meter', { name: 'Confidence for +' })).toHaveAttribute('aria-valuenow', '99');
  await expect(view.locator('.bar.top')).toHaveCount(1);
});

test('<symbol-gallery> paints each drawing white on black and deletes one by its position', async ({ page }) => {
  const ink = Array.from({ length: 784 }, (_, i) => (i % 28 === 14 ? 255 : 0));
  const view = await mount(page, 'symbol-gallery', {}, ['symbol-example-remove']);
  await page.evaluate((pixels) => {
    const example = Uint8Array.from(pixels);
    Object.assign(document.querySelector('symbol-gallery')!, { classes: [{ name: '1ish', examples: [example, example] }, { name: 'empty', examples: [] }] });
  }, ink);
  await expect(view.getByRole('img', { name: /Drawing \d of “1ish”/ })).toHaveCount(2);
  await expect(view.getByText('None yet: choose “empty” above and draw it on the pad.')).toBeVisible();
  const pixel = await view.getByRole('img', { name: 'Drawing 2 of “1ish”' }).evaluate((c: HTMLCanvasElement) => {
    const ctx = c.getContext('2d')!;
    return [ctx.getImageData(14, 5, 1, 1).data[0], ctx.getImageData(3, 5, 1, 1).data[0]];
  });
  expect(pixel).toEqual([255, 0]);
  await view.getByRole('button', { name: 'Delete drawing 2 of “1ish”' }).click();
  expect(await recordedEvents(page)).toEqual([{ type: 'symbol-example-remove', detail: { name: '1ish', index: 1 } }]);
});

test('<symbol-confusion> lays out true classes by row and reads by column, mistakes marked', async ({ page }) => {
  const view = await mount(page, 'symbol-confusion', { labels: ['a', 'b'], counts: [[5, 1], [0, 6]], caption: 'Held-out confusion' });
  await expect(view.getByRole('table', { name: 'Held-out confusion' })).toBeVisible();
  await expect(view.getByRole('row')).toHaveCount(3);
  await expect(view.getByRole('row').nth(1).getByRole('cell')).toHaveText(['5', '1']);
  await expect(view.locator('td.wrong')).toHaveText(['1']);
  await expect(view.locator('td.right')).toHaveText(['5', '6']);
});

test('<symbol-teach> checks its settings before asking to teach, and says why Teach is off', async ({ page }) => {
  const view = await mount(page, 'symbol-teach', { blocked: null }, ['symbol-teach']);
  await view.getByLabel('Copies of each drawing').fill('0');
  await view.getByRole('button', { name: 'Teach' }).click();
  await expect(view.getByRole('alert')).toHaveText('Copies of each drawing: enter a whole number from 1 to 64.');
  await view.getByLabel('Copies of each drawing').fill('4');
  await view.getByLabel('MNIST digits per digit class').fill('20');
  await view.getByRole('button', { name: 'Teach' }).click();
  expect(await recordedEvents(page)).toEqual([{ type: 'symbol-teach', detail: { copies: 4, digitsPerClass: 20, checkDigits: true } }]);
  await page.evaluate(() => Object.assign(document.querySelector('symbol-teach')!, { blocked: 'Add a class of your own first.' }));
  await expect(view.getByRole('button', { name: 'Teach' })).toBeDisabled();
  await expect(view.getByText('Add a class of your own first.')).toBeVisible();
});
