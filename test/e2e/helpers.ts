import type { Locator, Page } from '@playwright/test';

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
