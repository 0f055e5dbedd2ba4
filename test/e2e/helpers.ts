import type { Locator, Page } from '@playwright/test';
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
