import { expect, type Locator, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';

const AXE = readFileSync('node_modules/axe-core/axe.min.js', 'utf8');

/** axe-core's violations on the page as it is now, one line each (id, impact, where). */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document): Promise<{ violations: { id: string; impact: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const result = await axe.run(document);
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
  });
}

/** Collects console errors and page errors from now on; a test asserts the list is empty. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page: ${e.message}`));
  return errors;
}

/**
 * Element-level tests: mounts `tag` alone in a #fixture box at the top of the loaded page (the built lab registers
 * every element), with `props` (plain data: it crosses into the page as JSON), and records the details of the named
 * events for `recordedEvents`.
 */
export async function mountElement(page: Page, tag: string, props: Record<string, unknown> = {}, events: string[] = []): Promise<Locator> {
  await page.evaluate(
    async ({ tag, props, events }) => {
      await customElements.whenDefined(tag);
      const w = window as unknown as { events: { type: string; detail: unknown }[] };
      w.events = [];
      const box = document.createElement('div');
      box.id = 'fixture';
      const element = Object.assign(document.createElement(tag), props);
      for (const type of events) element.addEventListener(type, (e) => w.events.push({ type, detail: (e as CustomEvent).detail }));
      box.append(element);
      document.body.prepend(box);
    },
    { tag, props, events },
  );
  return page.locator(`#fixture ${tag}`);
}

/** The events recorded since `mountElement`, oldest first. */
export const recordedEvents = (page: Page) => page.evaluate(() => (window as unknown as { events: { type: string; detail: unknown }[] }).events);

/**
 * Clicks the training cell's Train and, where the cell asks first (a "Long run": a loaded machine, or software WebGL,
 * measures the run as long), answers "Train anyway": these tests want the run either way. Waits until the run is
 * under way or the cell has asked (`isVisible` alone would not wait, and a late dialog would be missed).
 */
export async function clickTrain(panel: Locator, timeout = 120_000): Promise<void> {
  await panel.getByRole('button', { name: 'Train', exact: true }).click();
  const longRun = panel.getByRole('alertdialog', { name: 'Long run' });
  await expect(panel.and(panel.page().locator('[status="busy"]')).or(longRun)).toBeVisible({ timeout });
  if (await longRun.isVisible()) await longRun.getByRole('button', { name: 'Train anyway' }).click();
}
