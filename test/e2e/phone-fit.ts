import type { Page } from '@playwright/test';

/** One box (element or run of text) that ends right of the screen. */
export interface Overflow {
  /** Where it is: tag names with id/class from the document down, shadow roots marked `#shadow`. */
  path: string;
  right: number;
  width: number;
  text: string;
}

/**
 * Every element box and text run, through shadow roots, whose right edge lies beyond `width` CSS px. A box that
 * scrolls or clips sideways by design (overflow-x auto/scroll/hidden/clip) is checked itself, but what is inside it
 * is not; neither is what is inside an SVG (the SVG's own box is). Boxes of zero size and hidden elements are skipped.
 * Only the outermost offending boxes are listed.
 */
export function overflowsRightOf(page: Page, width: number): Promise<Overflow[]> {
  return page.evaluate((limit) => {
    const found: { path: string; right: number; width: number; text: string }[] = [];
    const name = (e: Element) => {
      const cls = typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\s+/).join('.') : '';
      return `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${cls}`;
    };
    const tolerance = 0.5;
    const visit = (node: Node, path: string): void => {
      for (const child of Array.from(node.childNodes)) {
        if (child instanceof Text) {
          if (!child.data.trim()) continue;
          const range = document.createRange();
          range.selectNodeContents(child);
          const r = range.getBoundingClientRect();
          if (r.width > 0 && r.right > limit + tolerance) found.push({ path: path + ' > #text', right: r.right, width: r.width, text: child.data.trim().slice(0, 60) });
          continue;
        }
        if (!(child instanceof Element)) continue;
        const style = getComputedStyle(child);
        if (style.display === 'none' || style.visibility === 'hidden') continue;
        const here = `${path} > ${name(child)}`;
        const r = child.getBoundingClientRect();
        // A visually hidden element (1×1, clipped) is for screen readers only.
        const clipped = style.clip !== 'auto' && style.position === 'absolute';
        if (!clipped && r.width > 0 && r.height > 0 && r.right > limit + tolerance) {
          found.push({ path: here, right: Math.round(r.right), width: Math.round(r.width), text: (child.textContent ?? '').trim().slice(0, 60) });
        }
        if (child instanceof SVGElement) continue;
        if (['auto', 'scroll', 'hidden', 'clip'].includes(style.overflowX)) continue;
        if (child.shadowRoot) visit(child.shadowRoot, here + ' #shadow');
        visit(child, here);
      }
    };
    visit(document.body, 'body');
    // The outermost boxes only: what is inside a box that is too wide is reported with it.
    return found.filter((f) => !found.some((other) => other !== f && f.path.startsWith(other.path + ' ')));
  }, width);
}

/** A control smaller than a finger. */
export interface SmallTarget {
  path: string;
  width: number;
  height: number;
  text: string;
}

/**
 * Every visible button, select, text-like input and menu link (through shadow roots) less than `size` CSS px tall
 * or wide. Links inside prose are exempt, as WCAG exempts inline links; checkboxes and radios count by their label.
 */
export function smallTargets(page: Page, size: number): Promise<SmallTarget[]> {
  return page.evaluate((min) => {
    const found: { path: string; width: number; height: number; text: string }[] = [];
    const selector = [
      'button',
      'select',
      "input:not([type='hidden']):not([type='checkbox']):not([type='radio'])",
      'label:has(> input[type=checkbox])',
      'label:has(> input[type=radio])',
      'nav a',
    ].join(',');
    const visit = (root: Document | ShadowRoot, path: string): void => {
      for (const element of Array.from(root.querySelectorAll('*'))) {
        if (element.shadowRoot) visit(element.shadowRoot, `${path} ${element.tagName.toLowerCase()}`);
        if (!element.matches(selector)) continue;
        const r = element.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        const style = getComputedStyle(element);
        if (style.visibility === 'hidden' || (style.position === 'absolute' && style.clip !== 'auto')) continue;
        if (r.height < min - 0.5 || r.width < min - 0.5) {
          const label = element.getAttribute('aria-label') ?? element.textContent ?? '';
          found.push({ path: `${path} ${element.tagName.toLowerCase()}`, width: Math.round(r.width), height: Math.round(r.height), text: label.trim().slice(0, 50) });
        }
      }
    };
    visit(document, '');
    return found;
  }, size);
}
