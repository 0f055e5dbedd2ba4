import { ContextProvider } from '@lit/context';
import { html, LitElement, nothing } from 'lit';
import { BACKEND_LABELS, activeBackendDetail, isBackendPreference, pageTensorCount, type BackendName, type BackendPreference } from '../src/backend/backend';
import { WASM_PATHS } from '../src/backend/wasm-paths';
import { ensureDataset, ensureModel, startBackend } from '../src/state/actions';
import { createLabState, type LabState } from '../src/state/lab-state';
import { keepRunHistory } from '../src/state/run-history';
import { applyStoredSettings, applyUrlParams, storeSettings, URL_STATE_KEYS, writeUrlParams, type SettingsStorage } from '../src/state/url-state';
import { loadChosenModel } from '../src/train/lab-models';
import { dataBaseUrl, modelBaseUrl } from './config';
import { PHONE_MAX_WIDTH, labAppStyles } from './lab-app.styles';
import { labContext } from './lab-context';
import type { Course } from './lesson';
import { renderMarkdown } from './markdown';
import { MediaQueryController } from './media-query-controller';
import { OfflineController } from './offline-controller';
import { trainerFor } from './trainer-controller';
import './data-status';
import './lesson-view';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';

const BACKEND_PARAM = 'backend';

/** localStorage, or null where the browser refuses it (private modes, sandboxed frames). */
function settingsStorage(): SettingsStorage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

function routeFromHash(): string {
  const match = /^#\/?([\w-]*)/.exec(location.hash);
  return match ? match[1] : '';
}

/** Read-only numbers for tests and curious learners (window.digitLab in the console). */
export interface DigitLabDebug {
  pageTensors(): number;
  /** Weight tensors of the lab's model on the page (0 before a model is loaded). */
  modelTensors(): number;
  /** Tensors in the training worker, or null before it has started. */
  workerTensors(): Promise<number | null>;
  /** Loses the training worker's WebGL context, as a GPU reset would; resolves to whether it had one. */
  loseTrainingContext(): Promise<boolean>;
  /** Trains the next runs on WebAssembly with 1 or 2 workers (null: whichever measured faster). */
  trainWorkers(workers: number | null): void;
}

/** Detail of `backend-request`: a cell asks the shell to switch the lab's backend (kept in the URL, as a choice in the header). */
export interface BackendRequestDetail {
  preference: BackendPreference;
}

/** The backend's name, with how it runs where that matters (WASM: SIMD, threads). */
function describeBackend(name: BackendName): string {
  const detail = activeBackendDetail();
  return detail ? `${BACKEND_LABELS[name]} (${detail})` : BACKEND_LABELS[name];
}

/** The notebook shell: navigation, backend choice, data status, and the lab state every cell shares. */
export class LabApp extends LitElement {
  static properties = {
    course: { attribute: false },
    route: { state: true },
    notices: { state: true },
    menuOpen: { state: true },
  };

  declare course: Course | null;
  declare route: string;
  /** Things the learner should know that belong to no cell (damaged storage, say). */
  declare notices: string[];
  /** On a phone: whether the lesson menu is open. */
  declare menuOpen: boolean;

  readonly state: LabState = createLabState();
  protected readonly provider = new ContextProvider(this, { context: labContext, initialValue: this.state });
  private readonly unsubscribers: (() => void)[] = [];
  private readonly phone = new MediaQueryController(this, `(max-width: ${PHONE_MAX_WIDTH}px)`);
  private readonly offline = new OfflineController(this, { datasetLoaded: () => this.datasetLoaded() });
  private readonly onHashChange = () => {
    this.route = routeFromHash();
    this.menuOpen = false;
    window.scrollTo(0, 0);
  };
  /** Escape closes the phone menu and gives the focus back to its button. */
  private readonly onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || !this.menuOpen) return;
    this.menuOpen = false;
    this.renderRoot.querySelector<HTMLButtonElement>('.menu-button')?.focus();
  };

  constructor() {
    super();
    this.course = null;
    this.route = routeFromHash();
    this.notices = [];
    this.menuOpen = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this.onHashChange);
    this.addEventListener('backend-request', this.onBackendRequest);
    this.addEventListener('keydown', this.onKeyDown);
    const params = new URLSearchParams(location.search);
    applyUrlParams(this.state, params);
    // A bare address brings back the last settings kept in this browser; a URL's query wins.
    applyStoredSettings(this.state, params, settingsStorage());
    const preference = params.get(BACKEND_PARAM);
    this.unsubscribers.push(
      this.state.subscribe(URL_STATE_KEYS, () => {
        this.writeUrl();
        storeSettings(this.state, settingsStorage());
      }),
      this.state.subscribe(['backend', 'training', 'notices'], () => this.requestUpdate()),
    );
    if (params.toString() !== '') storeSettings(this.state, settingsStorage());
    void this.start(isBackendPreference(preference) ? preference : 'auto');
    // What the memory checks of the e2e tests read (tensors on the page and in the training worker).
    (window as unknown as { digitLab: DigitLabDebug }).digitLab = {
      pageTensors: pageTensorCount,
      modelTensors: () => this.state.get('model')?.model.weights.length ?? 0,
      workerTensors: async () => (await trainerFor(this.state).engineMemory())?.numTensors ?? null,
      loseTrainingContext: () => trainerFor(this.state).loseEngineContext(),
      trainWorkers: (workers) => (trainerFor(this.state).forcedWorkers = workers),
    };
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.onHashChange);
    this.removeEventListener('backend-request', this.onBackendRequest);
    this.removeEventListener('keydown', this.onKeyDown);
    this.unsubscribers.splice(0).forEach((u) => u());
  }

  private async start(preference: BackendPreference): Promise<void> {
    const runs = keepRunHistory(this.state, (notice) => (this.notices = [...this.notices, notice])).catch(() => {});
    // The chosen model (a run's or an uploaded one) comes back once the backend runs and the history is read,
    // before any shipped model is fetched.
    const ready = Promise.all([startBackend(this.state, preference, { wasmPaths: WASM_PATHS }), runs]).then(() => this.restoreModel());
    // The Draw lesson needs only the model: let it load and warm up before the data set takes the main thread.
    // Elsewhere the data set needs no tfjs backend, so both load at once.
    if (this.route === 'draw') {
      await ready;
      await ensureModel(this.state, modelBaseUrl()).catch(() => null);
    }
    ensureDataset(this.state, dataBaseUrl(), this.offline.fetchData).catch(() => {
      /* shown by <data-status> */
    });
  }

  /** Resolves once the lab's data set has loaded. */
  private datasetLoaded(): Promise<void> {
    return new Promise((resolve) => {
      if (this.state.get('dataset')) return resolve();
      const unsubscribe = this.state.subscribe(['dataset'], () => {
        if (!this.state.get('dataset')) return;
        unsubscribe();
        resolve();
      });
    });
  }

  /** Brings back the model the learner chose (a run's or an uploaded one); a shipped model gives way to it. */
  private async restoreModel(): Promise<void> {
    try {
      const saved = await loadChosenModel(this.state, { dataset: () => ensureDataset(this.state, dataBaseUrl(), this.offline.fetchData) });
      if (!saved) return;
      const current = this.state.get('model');
      if (current === null || current.source === 'shipped') this.state.set('model', saved);
      else saved.dispose();
    } catch {
      // No IndexedDB (private browsing): nothing to restore.
    }
  }

  private writeUrl(): void {
    const url = new URL(location.href);
    writeUrlParams(this.state, url.searchParams);
    history.replaceState(history.state, '', url);
  }

  private readonly onBackendRequest = (event: CustomEvent<BackendRequestDetail>) => void this.switchBackend(event.detail.preference);

  private chooseBackend(event: Event): Promise<void> {
    return this.switchBackend((event.target as HTMLSelectElement).value);
  }

  private async switchBackend(value: string): Promise<void> {
    if (!isBackendPreference(value)) return;
    const url = new URL(location.href);
    if (value === 'auto') url.searchParams.delete(BACKEND_PARAM);
    else url.searchParams.set(BACKEND_PARAM, value);
    history.replaceState(history.state, '', url);
    await startBackend(this.state, value, { wasmPaths: WASM_PATHS });
  }

  static styles = labAppStyles;

  private renderBackend() {
    const backend = this.state.get('backend');
    const options: BackendPreference[] = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'];
    return html`<div class="backend">
      <label for="backend-select">Backend</label>
      <select
        id="backend-select"
        @change=${this.chooseBackend}
        .value=${backend.preference}
        ?disabled=${this.state.get('training').phase !== 'idle'}
        title=${this.state.get('training').phase !== 'idle' ? 'Locked while a run trains' : ''}
      >
        ${options.map(
          (o) => html`<option value=${o} ?selected=${o === backend.preference}>${o === 'auto' ? 'Fastest available' : BACKEND_LABELS[o]}</option>`,
        )}
      </select>
      <span class="backend-active" data-testid="backend" role="status"
        >${backend.status === 'loading' ? 'starting…' : backend.active ? describeBackend(backend.active) : '—'}</span
      >
      ${backend.error ? html`<span class="backend-note">${backend.error}</span>` : nothing}
    </div>`;
  }

  /** While a run trains in the worker, the header says so on every lesson, with a way back to it. */
  private renderTraining() {
    const training = this.state.get('training');
    if (training.phase === 'idle') return nothing;
    const what = training.paused ? 'Training paused' : training.phase === 'testing' ? 'Testing' : 'Training';
    return html`<a class="training-badge" href="#/training" data-testid="training-badge">${what} · ${Math.round(training.fraction * 100)}%</a>`;
  }

  private renderStart() {
    const course = this.course;
    if (!course) return nothing;
    return html`<article class="start">
      ${unsafeHTML(renderMarkdown(course.intro))}
      <div class="cards">
        ${course.lessons.map(
          (l, i) => html`<a href="#/${l.id}"><strong>${i + 1}. ${l.title}</strong><span>${l.summary}</span></a>`,
        )}
      </div>
      ${course.lessons[0] ? html`<a class="cta" href="#/${course.lessons[0].id}">Start with lesson 1: ${course.lessons[0].title} →</a>` : nothing}
    </article>`;
  }

  /** A new version waiting, or the news that the lab now works offline: a bar at the foot of the screen. */
  private renderAppNotice() {
    const offline = this.offline;
    const dismiss = html`<button @click=${() => offline.dismiss()}>${offline.needRefresh ? 'Later' : 'OK'}</button>`;
    if (offline.needRefresh) {
      return html`<div class="app-notice" role="status">
        <span>A new version of Digit Lab is ready.</span>
        <button class="primary" @click=${() => offline.update()}>Reload to update</button> ${dismiss}
      </div>`;
    }
    const message = offline.offlineError ?? (offline.offlineReady ? 'Digit Lab now works offline: the app, the model and MNIST are kept in this browser.' : null);
    return message ? html`<div class="app-notice" role="status"><span>${message}</span> ${dismiss}</div>` : nothing;
  }

  override render() {
    const lessons = this.course?.lessons ?? [];
    const index = lessons.findIndex((l) => l.id === this.route);
    let content;
    if (this.route === '') content = this.renderStart();
    else if (index < 0) content = html`<h1>Page not found</h1><p>There is no lesson “${this.route}”. <a href="#/">Back to the start</a>.</p>`;
    else content = html`<lesson-view .lesson=${lessons[index]} .previous=${lessons[index - 1] ?? null} .next=${lessons[index + 1] ?? null} .number=${index + 1}></lesson-view>`;
    const phone = this.phone.matches;
    return html`
      <div class="top ${phone && this.menuOpen ? 'open' : ''}">
        <header>
          <button
            class="menu-button"
            aria-expanded=${this.menuOpen ? 'true' : 'false'}
            aria-controls="lesson-menu"
            @click=${() => (this.menuOpen = !this.menuOpen)}
          >
            <svg width="24" height="24" viewBox="0 0 24 24" aria-hidden="true">
              <path d="M3 6h18M3 12h18M3 18h18" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
            </svg>
            <span class="visually-hidden">Lessons and settings</span>
          </button>
          <a class="brand" href="#/">Digit <span>Lab</span></a>
          <data-status></data-status>
          ${this.renderTraining()} ${phone ? nothing : this.renderBackend()}
        </header>
        <nav id="lesson-menu" aria-label="Lessons">
          <ol>
            <li><a href="#/" aria-current=${this.route === '' ? 'page' : 'false'}><span class="num">·</span>Start</a></li>
            ${lessons.map(
              (l, i) => html`<li>
                <a href="#/${l.id}" aria-current=${l.id === this.route ? 'page' : 'false'}><span class="num">${i + 1}</span>${l.title}</a>
              </li>`,
            )}
          </ol>
          ${phone ? this.renderBackend() : nothing}
        </nav>
      </div>
      <main>
        ${[...this.notices, ...this.state.get('notices')].map((n) => html`<p class="notice" role="status">${n}</p>`)} ${content}
      </main>
      ${this.renderAppNotice()}
    `;
  }
}

customElements.define('lab-app', LabApp);

declare global {
  interface HTMLElementTagNameMap {
    'lab-app': LabApp;
  }
  interface HTMLElementEventMap {
    'backend-request': CustomEvent<BackendRequestDetail>;
  }
}
