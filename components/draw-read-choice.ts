import { html, LitElement } from 'lit';
import { drawReadChoiceStyles } from './draw-read-choice.styles';
import { fieldStyles } from './styles/controls.styles';
import { tokens } from './styles/tokens';

/** Detail of `draw-read-choice`: whether the pad reads the taught classes too. */
export interface DrawReadChoiceDetail {
  withClasses: boolean;
}

/**
 * On the Draw pad, once symbols have been taught (lesson 7): read the drawing as the ten digits and the learner's
 * classes, or as digits only (the lab's model before teaching).
 *
 * @fires draw-read-choice - {@link DrawReadChoiceDetail} when the learner picks the other choice (bubbles, composed).
 */
export class DrawReadChoice extends LitElement {
  static override properties = {
    classNames: { attribute: false },
    withClasses: { attribute: false },
  };

  /** The taught classes beyond the digits. */
  declare classNames: string[];
  declare withClasses: boolean;

  static override styles = [tokens, fieldStyles, drawReadChoiceStyles];

  constructor() {
    super();
    this.classNames = [];
    this.withClasses = true;
  }

  private pick(withClasses: boolean): void {
    this.dispatchEvent(new CustomEvent<DrawReadChoiceDetail>('draw-read-choice', { detail: { withClasses }, bubbles: true, composed: true }));
  }

  override render() {
    return html`<fieldset>
      <legend>Read the drawing as</legend>
      <label
        ><input type="radio" name="read-as" .checked=${this.withClasses} @change=${() => this.pick(true)} />
        <span class="names">Digits and your symbols (${this.classNames.join(' ')})</span></label
      >
      <label><input type="radio" name="read-as" .checked=${!this.withClasses} @change=${() => this.pick(false)} /> Digits only</label>
      <p class="hint">Taught in <a href="#/symbols">Beyond digits</a>, on top of the model named below.</p>
    </fieldset>`;
  }
}

customElements.define('draw-read-choice', DrawReadChoice);

declare global {
  interface HTMLElementTagNameMap {
    'draw-read-choice': DrawReadChoice;
  }
  interface HTMLElementEventMap {
    'draw-read-choice': CustomEvent<DrawReadChoiceDetail>;
  }
}
