import { css } from 'lit';
import { visuallyHiddenStyles } from './styles/controls.styles';
import { tokens } from './styles/tokens';

/** The width below which the lesson list folds into a menu and the header keeps to one line. */
export const PHONE_MAX_WIDTH = 760;

/** <lab-app> on a wide screen: the header across the top, the lesson list on the left, the lesson beside it. */
const shellStyles = css`
  :host {
    display: grid;
    grid-template-columns: 15rem minmax(0, 1fr);
    grid-template-rows: auto 1fr;
    min-height: 100vh;
  }
  /* The header and the lesson list are one sticky block on a phone; on a wide screen they sit in the grid. */
  .top {
    display: contents;
  }
  header {
    grid-column: 1 / -1;
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem 1.5rem;
    padding: 0.6rem 1.25rem;
    border-bottom: 1px solid var(--lab-border);
    background: #fff;
    position: sticky;
    top: 0;
    z-index: 10;
  }
  .menu-button {
    display: none;
  }
  .brand {
    font-weight: 700;
    font-size: 1.15rem;
    color: inherit;
    text-decoration: none;
    margin-right: auto;
    white-space: nowrap;
  }
  .brand span {
    color: var(--lab-accent);
  }
  .backend {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.4rem;
    font-size: 0.9rem;
  }
  .backend select {
    font: inherit;
  }
  .backend-active {
    font-weight: 600;
  }
  .training-badge {
    font-size: 0.85rem;
    font-weight: 600;
    padding: 0.15rem 0.6rem;
    border-radius: 999px;
    background: #ddf4ff;
    color: #0550ae;
    text-decoration: none;
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
  }
  .notice {
    padding: 0.5rem 0.75rem;
    border-radius: 6px;
    background: #fff8c5;
    border: 1px solid #d4a72c;
  }
  .backend-note {
    color: #9a6700;
    font-size: 0.85rem;
  }
  nav {
    padding: 1.25rem 0.75rem;
    border-right: 1px solid var(--lab-border);
    background: #f6f8fa;
  }
  nav ol {
    list-style: none;
    margin: 0;
    padding: 0;
    position: sticky;
    top: 4.5rem;
  }
  nav a {
    display: block;
    padding: 0.45rem 0.7rem;
    border-radius: 6px;
    color: inherit;
    text-decoration: none;
  }
  nav a:hover {
    background: #eaeef2;
  }
  nav a[aria-current='page'] {
    background: #ddf4ff;
    color: #0550ae;
    font-weight: 600;
  }
  .num {
    display: inline-block;
    width: 1.4rem;
    color: var(--lab-muted);
  }
  main {
    padding: 1.5rem 2.5rem 4rem;
    max-width: 62rem;
    min-width: 0;
  }
`;

/** The start page: the course's introduction and a card per lesson. */
const startStyles = css`
  .start {
    line-height: 1.6;
  }
  .start h1 {
    font-size: 2.2rem;
    margin-bottom: 0.25rem;
  }
  .cards {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(min(15rem, 100%), 1fr));
    gap: 1rem;
    margin-top: 1.5rem;
  }
  .cards a {
    display: block;
    padding: 1rem;
    border: 1px solid var(--lab-border);
    border-radius: 10px;
    color: inherit;
    text-decoration: none;
    background: #fff;
  }
  .cta {
    display: inline-block;
    margin-top: 1.5rem;
    padding: 0.55rem 1.2rem;
    border-radius: 8px;
    background: var(--lab-accent);
    color: #fff;
    font-weight: 600;
    text-decoration: none;
  }
  .cards a:hover {
    border-color: var(--lab-accent);
  }
  .cards strong {
    display: block;
    margin-bottom: 0.3rem;
  }
`;

/**
 * A phone: the header is one line (menu button, name, data progress or training badge); the menu button opens the
 * lesson list and the backend choice under it, over the page. Targets are at least 44 px.
 */
const phoneStyles = css`
  @media (max-width: ${PHONE_MAX_WIDTH}px) {
    :host {
      grid-template-columns: minmax(0, 1fr);
      grid-template-rows: auto 1fr;
    }
    .top {
      display: block;
      position: sticky;
      top: 0;
      z-index: 10;
    }
    header {
      position: static;
      flex-wrap: nowrap;
      gap: 0.5rem;
      padding: 0.25rem 0.75rem 0.25rem 0.25rem;
      min-height: 3rem;
      box-sizing: border-box;
    }
    .menu-button {
      display: inline-flex;
      align-items: center;
      justify-content: center;
      flex: none;
      width: 44px;
      height: 44px;
      padding: 0;
      border: none;
      border-radius: 6px;
      background: none;
      color: inherit;
      cursor: pointer;
    }
    .menu-button:focus-visible {
      outline: 3px solid var(--lab-accent);
    }
    .menu-button[aria-expanded='true'] {
      background: #eaeef2;
    }
    .brand {
      flex: none;
      margin-right: 0;
    }
    data-status {
      flex: 1 1 0;
      min-width: 0;
      justify-content: flex-end;
    }
    .training-badge {
      flex: none;
      margin-left: auto;
    }
    nav {
      display: none;
      border-right: none;
      border-bottom: 1px solid var(--lab-border);
      padding: 0.5rem 0.75rem 0.75rem;
      max-height: calc(100dvh - 3rem);
      overflow-y: auto;
      box-shadow: 0 8px 16px rgb(0 0 0 / 12%);
    }
    .top.open nav {
      display: block;
    }
    nav ol {
      position: static;
    }
    nav a {
      display: flex;
      align-items: center;
      min-height: 44px;
      box-sizing: border-box;
      padding: 0.5rem 0.7rem;
    }
    nav .backend {
      margin-top: 0.75rem;
      padding-top: 0.75rem;
      border-top: 1px solid var(--lab-border);
    }
    nav .backend select {
      min-height: 44px;
    }
    main {
      padding: 1rem 0.75rem 3rem;
    }
    .start h1 {
      font-size: 1.8rem;
    }
  }
`;

/** The notice that a new version is ready, or that the lab now works offline: a bar at the foot of the screen. */
const updateStyles = css`
  .app-notice {
    position: fixed;
    z-index: 20;
    left: 50%;
    bottom: 1rem;
    transform: translateX(-50%);
    width: max-content;
    max-width: calc(100vw - 1.5rem);
    box-sizing: border-box;
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem 0.75rem;
    padding: 0.6rem 0.75rem 0.6rem 1rem;
    border-radius: 10px;
    background: #1f2328;
    color: #fff;
    box-shadow: 0 6px 20px rgb(0 0 0 / 25%);
  }
  .app-notice button {
    font: inherit;
    min-height: 44px;
    padding: 0.3rem 0.9rem;
    border-radius: 6px;
    border: 1px solid #fff;
    background: transparent;
    color: #fff;
    cursor: pointer;
  }
  .app-notice button.primary {
    background: #fff;
    color: #1f2328;
    font-weight: 600;
  }
`;

export const labAppStyles = [tokens, visuallyHiddenStyles, shellStyles, startStyles, phoneStyles, updateStyles];
