import { css, html, LitElement, nothing } from 'lit';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import type { Lesson } from './lesson';
import { renderMarkdown } from './markdown';

/** One lesson page: title, prose with its cells, and links to the previous and next lessons. */
export class LessonView extends LitElement {
  static properties = {
    lesson: { attribute: false },
    previous: { attribute: false },
    next: { attribute: false },
    number: { type: Number },
  };

  declare lesson: Lesson | null;
  declare previous: Lesson | null;
  declare next: Lesson | null;
  declare number: number;

  private renderedFor: Lesson | null = null;
  private html = '';

  constructor() {
    super();
    this.lesson = null;
    this.previous = null;
    this.next = null;
    this.number = 0;
  }

  static styles = css`
    :host {
      display: block;
      line-height: 1.6;
    }
    .eyebrow {
      color: var(--lab-muted);
      font-size: 0.85rem;
      text-transform: uppercase;
      letter-spacing: 0.08em;
      margin: 0;
    }
    h1 {
      margin: 0.2rem 0 1rem;
      font-size: 2rem;
    }
    .prose :is(h2, h3) {
      margin-top: 2rem;
    }
    .prose code {
      background: #f6f8fa;
      padding: 0.1em 0.3em;
      border-radius: 4px;
      font-size: 0.9em;
    }
    .prose blockquote {
      margin: 1rem 0;
      padding: 0.5rem 1rem;
      border-left: 4px solid var(--lab-accent);
      background: #f6f8fa;
    }
    .pager {
      display: flex;
      justify-content: space-between;
      gap: 1rem;
      margin-top: 3rem;
      padding-top: 1rem;
      border-top: 1px solid var(--lab-border);
    }
    .pager a {
      color: var(--lab-accent);
      text-decoration: none;
      font-weight: 600;
    }
    @media (pointer: coarse) {
      .pager a {
        display: inline-flex;
        align-items: center;
        min-height: 44px;
      }
    }
    @media (max-width: 760px) {
      h1 {
        font-size: 1.6rem;
      }
      .pager {
        margin-top: 2rem;
      }
    }
  `;

  override render() {
    const lesson = this.lesson;
    if (!lesson) return nothing;
    // Re-render the Markdown only when the lesson changes, so cells keep their state across shell updates.
    if (this.renderedFor !== lesson) {
      this.html = renderMarkdown(lesson.body);
      this.renderedFor = lesson;
    }
    return html`
      <article>
        <p class="eyebrow">Lesson ${this.number}</p>
        <h1>${lesson.title}</h1>
        <div class="prose">${unsafeHTML(this.html)}</div>
        <nav class="pager" aria-label="Lesson pages">
          ${this.previous ? html`<a href="#/${this.previous.id}" rel="prev">← ${this.previous.title}</a>` : html`<a href="#/" rel="prev">← Start</a>`}
          ${this.next ? html`<a href="#/${this.next.id}" rel="next">${this.next.title} →</a>` : nothing}
        </nav>
      </article>
    `;
  }
}

customElements.define('lesson-view', LessonView);
