import { css } from 'lit';

/**
 * The lab's design tokens as CSS custom properties on each element's host. Element styles use `var(--lab-…)`, never
 * a literal colour, so one change here restyles every cell. (Chart colours that encode data, e.g. a diverging
 * scale, come from d3 interpolators instead.)
 */
export const tokens = css`
  :host {
    /* Text and surfaces */
    --lab-text: #1f2328;
    --lab-muted: #57606a;
    --lab-cell-bg: #fff;
    --lab-surface: #f6f8fa;
    --lab-surface-hover: #eaeef2;
    --lab-border: #d0d7de;
    --lab-border-subtle: #d8dee4;
    --lab-control-border: #8c959f;
    --lab-shadow: rgb(0 0 0 / 4%);

    /* Accent: primary buttons, selection, focus */
    --lab-accent: #1f6feb;
    --lab-accent-strong: #0969da;
    --lab-accent-text: #0550ae;
    --lab-on-accent: #fff;
    --lab-accent-bg: #ddf4ff;
    --lab-accent-border: #b6e3ff;

    /* States */
    --lab-danger: #cf222e;
    --lab-danger-text: #82071e;
    --lab-danger-bg: #ffebe9;
    --lab-danger-border: #ffcecb;
    --lab-danger-field-bg: #fff5f5;
    --lab-warning-bg: #fff8c5;
    --lab-warning-border: #d4a72c;
    --lab-warning-text: #9a6700;
    --lab-success: #1a7f37;
    --lab-success-strong: #2da44e;
    --lab-highlight: #ff8c00;

    /* Shape and rhythm */
    --lab-radius: 6px;
    --lab-radius-lg: 10px;
    --lab-radius-pill: 999px;
    --lab-space-1: 0.25rem;
    --lab-space-2: 0.5rem;
    --lab-space-3: 0.75rem;
    --lab-space-4: 1rem;

    /* Type */
    --lab-font-small: 0.85rem;
    --lab-font-tiny: 0.75rem;
    --lab-font-mono: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  }
`;
