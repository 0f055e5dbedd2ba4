import { html, LitElement, nothing } from 'lit';
import { DIGIT_NAMES } from '../src/symbols/class-set';
import type { TaughtModel } from '../src/symbols/file';
import type { FineTuneReport } from '../src/symbols/fine-tune';
import type { TeachingStatus } from '../src/symbols/teach-runner';
import { checkTeachSettings, DEFAULT_TEACH, TEACH_LIMITS } from '../src/symbols/teach-settings';
import { formatInteger, formatNumber, formatPercent } from '../src/format';
import './symbol-confusion';
import { symbolTeachStyles } from './symbol-teach.styles';
import { buttonStyles, fieldStyles, noteStyles } from './styles/controls.styles';
import { tokens } from './styles/tokens';

/** Detail of `symbol-teach`: the settings to teach with. */
export interface SymbolTeachDetail {
  copies: number;
  digitsPerClass: number;
  checkDigits: boolean;
  /** Also train the last convolution block with the head, and compare with the frozen body. */
  unfreeze: boolean;
}

const PHASES: Record<TeachingStatus['phase'], string> = {
  starting: 'Starting the training worker…',
  features: 'Computing the network’s features for the digit sample and your drawings…',
  fitting: 'Training the new head…',
  installing: 'Switching to the new head…',
  'held-out': 'Checking on held-out drawings (k-fold)…',
  digits: 'Scoring the 10,000 MNIST test digits…',
  unfreezing: 'Training the last convolution block with the head, and comparing with the frozen body…',
};

const seconds = (s: number | null) => (s === null || !Number.isFinite(s) ? '' : `${formatNumber(s, 1)} s`);

/**
 * Teaching: the settings (copies of each drawing, MNIST digits mixed in, whether to score the test digits), Teach
 * and Stop, progress, and what the taught model achieved: held-out accuracy with its confusion matrix, and the test
 * digits next to the base model's.
 *
 * @fires symbol-teach - {@link SymbolTeachDetail}.
 * @fires symbol-teach-stop - no detail.
 * @fires symbol-forget-model - no detail: back to digits only.
 */
export class SymbolTeach extends LitElement {
  static override properties = {
    status: { attribute: false },
    taught: { attribute: false },
    stale: { attribute: false },
    blocked: { attribute: false },
    settingsError: { state: true },
  };

  declare status: TeachingStatus | null;
  declare taught: TaughtModel | null;
  /** The classes changed since the model was taught. */
  declare stale: boolean;
  /** Why Teach is off (no classes, too few drawings, a run going on), or null. */
  declare blocked: string | null;
  declare settingsError: string | null;

  static override styles = [tokens, buttonStyles, fieldStyles, noteStyles, symbolTeachStyles];

  constructor() {
    super();
    this.status = null;
    this.taught = null;
    this.stale = false;
    this.blocked = null;
    this.settingsError = null;
  }

  private fire(type: 'symbol-teach-stop' | 'symbol-forget-model'): void {
    this.dispatchEvent(new CustomEvent(type, { bubbles: true, composed: true }));
  }

  private teach(): void {
    const value = (id: string) => Number(this.renderRoot.querySelector<HTMLInputElement>(`#${id}`)?.value ?? NaN);
    const detail: SymbolTeachDetail = {
      copies: value('copies'),
      digitsPerClass: value('digits'),
      checkDigits: this.renderRoot.querySelector<HTMLInputElement>('#check')?.checked ?? true,
      unfreeze: this.renderRoot.querySelector<HTMLInputElement>('#unfreeze')?.checked ?? false,
    };
    this.settingsError = checkTeachSettings(detail);
    if (!this.settingsError) this.dispatchEvent(new CustomEvent<SymbolTeachDetail>('symbol-teach', { detail, bubbles: true, composed: true }));
  }

  private renderReport(t: TaughtModel) {
    const r = t.report;
    const labels = [...DIGIT_NAMES, ...t.classNames];
    const h = r.heldOut;
    const d = r.digits;
    return html`<div class="report">
      <p>
        The network reads <strong>0–9 and ${t.classNames.join(' ')}</strong>, with the body of ${r.baseDescription.replace(/^The /, 'the ')} frozen.
        ${Number.isFinite(r.seconds.ready) ? html`Ready <span data-testid="ready-seconds">${seconds(r.seconds.ready)}</span> after Teach.` : nothing}
      </p>
      ${r.steps
        ? html`<p class="note" data-testid="teach-steps">
            Where the time went: preparing ${seconds(r.steps.request)}; in the training worker ${seconds(r.steps.engine)} (rebuilding the network
            ${seconds(r.steps.base)}, features of the MNIST sample ${seconds(r.steps.digitFeatures)}, of your drawings and their copies
            ${seconds(r.steps.drawingFeatures)}, training the head ${seconds(r.steps.fit)}); switching this page to it ${seconds(r.steps.install)}.
          </p>`
        : nothing}
      ${h
        ? html`<p data-testid="held-out">
              Held out (${h.method === 'k-fold' ? `${h.folds}-fold: each drawing read by a head trained without it` : 'a fifth of the drawings kept back'}):
              <strong>${h.drawings.correct} of ${h.drawings.count}</strong> of your drawings right (${formatPercent(h.drawings.correct / h.drawings.count)}),
              ${h.digits.correct} of ${h.digits.count} MNIST digits (${formatPercent(h.digits.correct / h.digits.count)}).
            </p>
            <symbol-confusion .labels=${labels} .counts=${h.confusion} caption="Held-out confusion: rows are the true class, columns what was read."></symbol-confusion>`
        : nothing}
      ${d
        ? html`<p data-testid="digit-check">
            On the ${formatInteger(d.count)} MNIST test digits: base model <strong>${formatPercent(d.base / d.count, 2)}</strong>, extended model
            <strong>${formatPercent(d.extended / d.count, 2)}</strong> (${formatNumber((100 * (d.extended - d.base)) / d.count, 2)} points; ${formatInteger(d.readAsNew)} digits
            read as one of your classes).
          </p>`
        : nothing}
      ${r.unfrozen ? this.renderUnfrozen(r.unfrozen) : nothing}
    </div>`;
  }

  private renderUnfrozen(u: FineTuneReport) {
    const row = (name: string, frozen: number, unfrozen: number, count: number) =>
      html`<tr>
        <th scope="row">${name}</th>
        <td>${frozen} of ${formatInteger(count)} (${formatPercent(frozen / count, count > 1000 ? 2 : 1)})</td>
        <td>${unfrozen} of ${formatInteger(count)} (${formatPercent(unfrozen / count, count > 1000 ? 2 : 1)})</td>
      </tr>`;
    const h = u.heldOut;
    return html`<table class="compare" data-testid="unfrozen">
      <caption>
        Frozen body or last convolution block unfrozen (${u.settings.epochs} passes, ${seconds(u.seconds)}): read right. The unfrozen model reads now.
      </caption>
      <thead>
        <tr>
          <th scope="col">Read right</th>
          <th scope="col">Frozen body, new head</th>
          <th scope="col">Last block unfrozen</th>
        </tr>
      </thead>
      <tbody>
        ${row('Your held-out drawings', h.drawings.frozen, h.drawings.unfrozen, h.drawings.count)}
        ${row('Held-out MNIST digits of the sample', h.digits.frozen, h.digits.unfrozen, h.digits.count)}
        ${u.digits ? row('The MNIST test digits', u.digits.frozen, u.digits.unfrozen, u.digits.count) : nothing}
      </tbody>
    </table>`;
  }

  override render() {
    const s = this.status;
    const busy = s !== null && !s.checking;
    return html`<div class="settings">
        <div class="field">
          <label for="copies">Copies of each drawing</label>
          <input id="copies" type="number" min=${TEACH_LIMITS.copies.min} max=${TEACH_LIMITS.copies.max} value=${DEFAULT_TEACH.copies} aria-describedby="copies-hint" />
          <p class="hint" id="copies-hint">The drawing and randomly rotated, shifted, sheared and zoomed copies (the lab’s augmentation).</p>
        </div>
        <div class="field">
          <label for="digits">MNIST digits per digit class</label>
          <input id="digits" type="number" min=${TEACH_LIMITS.digitsPerClass.min} max=${TEACH_LIMITS.digitsPerClass.max} value=${DEFAULT_TEACH.digitsPerClass} aria-describedby="digits-hint" />
          <p class="hint" id="digits-hint">Mixed in so that the new head keeps reading digits.</p>
        </div>
        <label class="check"><input id="check" type="checkbox" checked /> Then score the 10,000 test digits (about half a minute the first time)</label>
        <label class="check"
          ><input id="unfreeze" type="checkbox" /> Then also unfreeze the last convolution block, train it with the head, and compare (slower; that model reads
          once it is ready)</label
        >
      </div>
      ${this.settingsError ? html`<div class="alert" role="alert">${this.settingsError}</div>` : nothing}
      <div class="actions">
        <button class="primary" ?disabled=${busy || this.blocked !== null} @click=${this.teach}>${this.taught ? 'Teach again' : 'Teach'}</button>
        ${s ? html`<button @click=${() => this.fire('symbol-teach-stop')}>Stop</button>` : nothing}
        ${this.taught && !s ? html`<button @click=${() => this.fire('symbol-forget-model')}>Back to digits only</button>` : nothing}
      </div>
      ${this.blocked && !s ? html`<p class="note">${this.blocked}</p>` : nothing}
      ${s
        ? html`<div class="progress">
            <label for="teach-progress">${PHASES[s.phase]}</label>
            <progress id="teach-progress" max="1" .value=${s.fraction ?? 0} aria-valuetext=${s.fraction === null ? 'working' : formatPercent(s.fraction, 0)}></progress>
          </div>`
        : nothing}
      ${this.stale && !s ? html`<p class="note"><span class="stale-note">Your classes changed since teaching: teach again to include the changes.</span></p>` : nothing}
      ${this.taught ? this.renderReport(this.taught) : nothing}`;
  }
}

customElements.define('symbol-teach', SymbolTeach);

declare global {
  interface HTMLElementTagNameMap {
    'symbol-teach': SymbolTeach;
  }
  interface HTMLElementEventMap {
    'symbol-teach': CustomEvent<SymbolTeachDetail>;
  }
}
