import { expect, test, type Locator, type Page } from '@playwright/test';
import { SMALL_SPEC } from '../../src/model/spec';
import { watchErrors } from './helpers';
import { overflowsRightOf, smallTargets } from './phone-fit';

// Phones as the issue names them: 360×740 (small Android) and 390×844 (iPhone 12–15, Pixel 7), touch, zoomable
// layout viewport (isMobile), so content wider than the screen would widen the page instead of being cut off.
const PHONES = [
  { width: 360, height: 740 },
  { width: 390, height: 844 },
] as const;

// The small net keeps the training step short; the address carries it like a shared link.
const START = `./?model=${encodeURIComponent(JSON.stringify(SMALL_SPEC))}#/`;

/** Goes to a lesson the way a learner does (the address's settings stay), and waits for its title. */
async function visit(page: Page, route: string, title: string | RegExp): Promise<void> {
  await page.evaluate((r) => (location.hash = `#/${r}`), route);
  await expect(page.getByRole('heading', { level: 1, name: title, exact: typeof title === 'string' })).toBeVisible();
}

/** Nothing ends right of the screen, and every control is finger-sized; the full page is saved for looking at. */
async function expectFits(page: Page, width: number, what: string): Promise<void> {
  // Let late layout (charts sized to their box, images decoded) settle.
  await page.waitForTimeout(300);
  const overflows = await overflowsRightOf(page, width);
  await page.screenshot({ path: test.info().outputPath(`${width}-${what}.png`), fullPage: true });
  expect.soft(overflows, `${what} at ${width} px`).toEqual([]);
  expect.soft(await smallTargets(page, 44), `targets of ${what} at ${width} px`).toEqual([]);
}

/** Draws one stroke through `points` (fractions of the pad) with touch events, as a finger does. */
export async function touchStroke(page: Page, pad: Locator, points: [number, number][]): Promise<void> {
  await pad.scrollIntoViewIfNeeded();
  const box = (await pad.boundingBox())!;
  const cdp = await page.context().newCDPSession(page);
  const at = ([fx, fy]: [number, number]) => ({ x: box.x + fx * box.width, y: box.y + fy * box.height, id: 1, radiusX: 6, radiusY: 6, force: 0.7 });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [at(points[0])] });
  for (let i = 1; i < points.length; i++) {
    // Each segment in a few moves, like a finger's stream of events.
    const [x0, y0] = points[i - 1];
    const [x1, y1] = points[i];
    for (let s = 1; s <= 3; s++) {
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [at([x0 + ((x1 - x0) * s) / 3, y0 + ((y1 - y0) * s) / 3])] });
    }
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
}

/** A 7: the bar across the top, then the stem down to the lower left, in one stroke. */
export const SEVEN: [number, number][] = [
  [0.25, 0.2],
  [0.5, 0.2],
  [0.75, 0.2],
  [0.65, 0.45],
  [0.55, 0.65],
  [0.45, 0.85],
];

for (const phone of PHONES) {
  test.describe(`a ${phone.width}×${phone.height} phone`, () => {
    test.use({ viewport: phone, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });

    test('every lesson fits the screen: when ready, and after drawing, adding a layer, training', async ({ page }) => {
      test.setTimeout(400_000);
      const errors = watchErrors(page);
      const w = phone.width;
      await page.goto(START);
      await expect(page.getByRole('heading', { level: 1, name: 'Digit Lab' })).toBeVisible();
      await expectFits(page, w, 'start');

      // The header is one line; the lesson list is a menu that opens under it, with the backend choice.
      const menu = page.getByRole('button', { name: 'Lessons and settings' });
      const header = page.locator('lab-app header');
      expect((await header.boundingBox())!.height).toBeLessThanOrEqual(56);
      await expect(page.getByRole('navigation', { name: 'Lessons' })).toBeHidden();
      await menu.click();
      await expect(menu).toHaveAttribute('aria-expanded', 'true');
      await expect(page.getByRole('navigation', { name: 'Lessons' }).getByRole('link')).toHaveCount(8);
      await expect(page.getByLabel('Backend')).toBeVisible();
      await expectFits(page, w, 'menu');
      await page.getByRole('navigation', { name: 'Lessons' }).getByRole('link', { name: 'Dataset' }).click();
      await expect(page.getByRole('navigation', { name: 'Lessons' })).toBeHidden();
      await expect(page.getByRole('heading', { level: 1, name: 'Dataset' })).toBeVisible();

      const explorer = page.locator('dataset-explorer');
      await expect(explorer).toHaveAttribute('status', 'ready', { timeout: 90_000 });
      await expectFits(page, w, 'dataset');
      await explorer.getByRole('gridcell').nth(7).click();
      await expect(explorer.getByRole('gridcell').nth(7)).toHaveAttribute('aria-selected', 'true');
      await expectFits(page, w, 'dataset-selected');

      await visit(page, 'augmentation', 'Augmentation');
      await expect(page.locator('augment-preview')).toHaveAttribute('status', 'ready', { timeout: 90_000 });
      await expectFits(page, w, 'augmentation');

      await visit(page, 'model', 'Model');
      const builder = page.locator('model-builder');
      await expect(builder).toHaveAttribute('status', 'ready');
      await expectFits(page, w, 'model');
      await builder.getByRole('button', { name: 'Add layer' }).click();
      await expectFits(page, w, 'model-added-layer');
      await builder.getByRole('button', { name: 'Small' }).click();

      await visit(page, 'training', 'Training');
      const panel = page.locator('train-panel');
      await expect(panel.getByText('Model to train: small')).toBeVisible();
      await expectFits(page, w, 'training');
      await panel.getByLabel('Training images').fill('2000');
      await panel.getByLabel('Epochs').fill('1');
      await panel.getByRole('button', { name: 'Train', exact: true }).click();
      await expect(panel).toHaveAttribute('status', 'busy');
      await expect(panel.getByTestId('train-progress')).toContainText(/batch \d+\//, { timeout: 120_000 });
      await expectFits(page, w, 'training-running');
      await expect(panel).toHaveAttribute('status', 'ready', { timeout: 240_000 });
      await expect(panel.getByTestId('test-accuracy')).toContainText('Test accuracy');
      await expectFits(page, w, 'training-done');

      await visit(page, 'inside', 'Inside the network');
      await expect(page.locator('filter-viewer')).toHaveAttribute('status', 'ready', { timeout: 90_000 });
      await expect(page.locator('activation-viewer')).toHaveAttribute('status', 'ready', { timeout: 90_000 });
      await expectFits(page, w, 'inside');

      await visit(page, 'draw', 'Draw');
      const pad = page.locator('draw-pad');
      await expect(pad).toHaveAttribute('status', 'ready', { timeout: 90_000 });
      await expectFits(page, w, 'draw');
      await touchStroke(page, pad.locator('canvas.pad'), SEVEN);
      await expect(pad).toHaveAttribute('prediction', /\d/);
      await expectFits(page, w, 'draw-drawn');

      await visit(page, 'symbols', 'Beyond digits');
      await expect(page.locator('symbol-lab')).toHaveAttribute('status', /ready|idle/, { timeout: 90_000 });
      await expectFits(page, w, 'symbols');
      expect(errors).toEqual([]);
    });

    test('touch drawing: a 7 reads 7, the page does not scroll, and the answer is in sight beside the pad', async ({ page }) => {
      const errors = watchErrors(page);
      await page.goto('./#/draw');
      const pad = page.locator('draw-pad');
      await expect(pad).toHaveAttribute('status', 'ready', { timeout: 90_000 });
      const canvas = pad.locator('canvas.pad');
      // The learner brings the pad to the middle of the screen to draw on it.
      await canvas.evaluate((c) => c.scrollIntoView({ block: 'center' }));
      const scrollBefore = await page.evaluate(() => [scrollX, scrollY]);
      const boxBefore = await canvas.boundingBox();
      await touchStroke(page, canvas, SEVEN);
      await expect(pad).toHaveAttribute('prediction', '7');
      await expect(pad.getByRole('status')).toHaveText(/reads a 7/);
      // The stroke did not move the page (a finger on the pad draws; it does not pan or zoom).
      expect(await page.evaluate(() => [scrollX, scrollY])).toEqual(scrollBefore);
      expect(await canvas.boundingBox()).toEqual(boxBefore);
      // The answer (digit and confidence) is on screen together with the whole pad, below the sticky header.
      const answer = pad.locator('.pad-answer');
      await expect(answer).toBeVisible();
      await expect(answer).toHaveText(/It reads 7\s+\d+(\.\d)?% sure/);
      const viewport = page.viewportSize()!;
      const headerBottom = (await page.locator('lab-app header').boundingBox())!.height;
      for (const box of [await answer.boundingBox(), await canvas.boundingBox()]) {
        expect(box!.y).toBeGreaterThanOrEqual(headerBottom);
        expect(box!.y + box!.height).toBeLessThanOrEqual(viewport.height);
        expect(box!.x + box!.width).toBeLessThanOrEqual(viewport.width);
      }
      expect(errors).toEqual([]);
    });

    test('buttons, fields and menu items on every lesson are at least 44 px for a finger', async ({ page }) => {
      await page.goto(START);
      const w = phone.width;
      for (const [route, ready] of [
        ['dataset', 'dataset-explorer'],
        ['augmentation', 'augment-preview'],
        ['model', 'model-builder'],
        ['training', 'train-panel'],
        ['inside', 'activation-viewer'],
        ['draw', 'draw-pad'],
      ] as const) {
        await page.evaluate((r) => (location.hash = `#/${r}`), route);
        await expect(page.locator(ready)).toHaveAttribute('status', /ready|idle/, { timeout: 90_000 });
        if (route === 'training') await expect(page.locator('train-panel').getByRole('button', { name: 'Train', exact: true })).toBeVisible();
        expect.soft(await smallTargets(page, 44), `${route} at ${w} px`).toEqual([]);
      }
      await page.getByRole('button', { name: 'Lessons and settings' }).click();
      expect(await smallTargets(page, 44), `menu at ${w} px`).toEqual([]);
    });
  });
}
