import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';

// Every route, loaded on its own in a fresh page: 0 axe-core violations once its cells are ready, and not one
// console warning or error (the page's and the training worker's) on the way.

const AXE = readFileSync('node_modules/axe-core/axe.min.js', 'utf8');

// A normal load registers the lab's service worker (the other specs block it): that is part of what is checked.
test.use({ serviceWorkers: 'allow' });

/** Console warnings and errors, and uncaught errors, from the page and its workers. */
function watchConsole(page: Page): string[] {
  const messages: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'warning' || m.type() === 'error') messages.push(`${m.type()}: ${m.text().split('\n')[0]}`);
  });
  page.on('pageerror', (e) => messages.push(`page: ${e.message}`));
  return messages;
}

/** Waits until no cell of the lesson is busy (a cell may go busy again: the state must hold for a second). */
async function cellsSettled(page: Page): Promise<void> {
  await expect
    .poll(
      async () => {
        const busy = await page.locator('lesson-view [status="busy"]').count();
        if (busy > 0) return false;
        await page.waitForTimeout(1000);
        return (await page.locator('lesson-view [status="busy"]').count()) === 0;
      },
      { timeout: 120_000, intervals: [250] },
    )
    .toBe(true);
}

async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document): Promise<{ violations: { id: string; impact: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const result = await axe.run(document);
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
  });
}

/** What each route waits for beyond its cells (the training cell: the worker has started and measured this device). */
const READY: Record<string, (page: Page) => Promise<void>> = {
  '': (page) => expect(page.getByTestId('dataset-counts')).toBeVisible({ timeout: 60_000 }),
  dataset: (page) => expect(page.locator('dataset-explorer')).toHaveAttribute('status', 'ready', { timeout: 60_000 }),
  augmentation: (page) => expect(page.locator('augment-preview')).toHaveAttribute('status', 'ready', { timeout: 60_000 }),
  model: (page) => expect(page.locator('model-builder')).toHaveAttribute('status', /ready|idle/, { timeout: 60_000 }),
  training: (page) => expect(page.locator('train-panel').getByTestId('train-estimate')).toContainText(/≈ .* on this device/, { timeout: 120_000 }),
  inside: async (page) => {
    await expect(page.locator('filter-viewer')).toHaveAttribute('status', 'ready', { timeout: 90_000 });
    await expect(page.locator('activation-viewer')).toHaveAttribute('status', 'ready', { timeout: 90_000 });
  },
  draw: (page) => expect(page.locator('draw-pad')).toHaveAttribute('status', 'ready', { timeout: 90_000 }),
};

test('every route: no console warning or error on a normal load, and 0 axe violations once its cells are ready', async ({ browser }) => {
  test.setTimeout(600_000);
  // The routes are the course's: read from the navigation, so a new lesson is checked too.
  const first = await browser.newPage();
  await first.goto('./');
  const hrefs = await first.getByRole('navigation', { name: 'Lessons' }).getByRole('link').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  await first.close();
  const routes = hrefs.map((h) => h.replace(/^#\/?/, ''));
  expect(routes).toEqual(expect.arrayContaining(Object.keys(READY)));
  const report: Record<string, { console: string[]; axe: string[] }> = {};
  for (const route of routes) {
    const page = await browser.newPage();
    const messages = watchConsole(page);
    await page.goto(`./#/${route}`);
    await (READY[route] ?? (() => Promise.resolve()))(page);
    await cellsSettled(page);
    report[route] = { console: messages.slice(), axe: await axeViolations(page) };
    await page.close();
  }
  expect(report).toEqual(Object.fromEntries(routes.map((r) => [r, { console: [], axe: [] }])));
});

test('the Inside lesson follows ten digits in a row without a canvas read-back warning', async ({ page }) => {
  const messages = watchConsole(page);
  await page.goto('./#/inside');
  const viewer = page.locator('activation-viewer');
  await expect(viewer).toHaveAttribute('status', 'ready', { timeout: 90_000 });
  await viewer.getByLabel('A data-set digit').check();
  for (let i = 1; i <= 10; i++) {
    await viewer.getByLabel(/Digit number/).fill(String(i));
    await viewer.getByLabel(/Digit number/).press('Enter');
    await expect(viewer.getByText(new RegExp(`Training digit #${i}, labelled \\d`))).toBeVisible();
  }
  expect(messages).toEqual([]);
});
