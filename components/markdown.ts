import DOMPurify from 'dompurify';
import { marked } from 'marked';

/** The lab's own cells may appear in lesson Markdown; everything else custom is stripped. */
const CELL_TAGS = /^(dataset-explorer|augment-preview|model-builder|train-panel|filter-viewer|activation-viewer|draw-pad|symbol-lab|data-status)$/;

/** Lesson Markdown to sanitised HTML. */
export function renderMarkdown(markdown: string): string {
  const raw = marked.parse(markdown, { async: false, gfm: true });
  return DOMPurify.sanitize(raw, {
    CUSTOM_ELEMENT_HANDLING: { tagNameCheck: CELL_TAGS, attributeNameCheck: /^[a-z-]+$/, allowCustomizedBuiltInElements: false },
  });
}
