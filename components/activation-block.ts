import { html, LitElement, nothing } from 'lit';
import type { LayerActivation } from '../src/inspect/activations';
import { stepName, type LayerBlock } from '../src/inspect/blocks';
import { activationBlockStyles } from './activation-block.styles';
import { tokens } from './styles/tokens';
import './activation-layer';

/**
 * One block of the network — a main layer (convolution, pooling, dense) with the batch normalisation, activation and
 * dropout folded into it — as a collapsible section: its heading in words ("3. Convolution 2 · 32 filters 3×3"),
 * what it does inside ("then batch normalisation → ReLU"), the block's output, and each inner step on demand.
 */
export class ActivationBlock extends LitElement {
  static properties = {
    block: { attribute: false },
    layers: { attribute: false },
    position: { type: Number },
    open: { type: Boolean, reflect: true },
    stepsOpen: { state: true },
  };

  declare block: LayerBlock | null;
  /** Every layer's output for the input (the whole model's, indexed like the chain). */
  declare layers: readonly LayerActivation[];
  /** 1 for the model's first block. */
  declare position: number;
  declare open: boolean;
  /** The inner steps are drawn only once asked for (a block can hold four layers of maps). */
  declare stepsOpen: boolean;

  static styles = [tokens, activationBlockStyles];

  constructor() {
    super();
    this.block = null;
    this.layers = [];
    this.position = 1;
    this.open = false;
    this.stepsOpen = false;
  }

  private outputHeading(block: LayerBlock): string {
    if (block.kind === 'output') return 'The answer: one probability per digit';
    const acting = block.steps.filter((step) => !step.startsWith('dropout'));
    return acting.length ? `The block's output, after ${acting.join(' and ')}` : 'Its output';
  }

  render() {
    const block = this.block;
    const output = block ? this.layers[block.output] : undefined;
    if (!block || !output) return nothing;
    const convName = block.kind === 'conv' ? this.layers[block.layers[0]]?.layerName ?? null : null;
    const inner = block.layers.filter((i) => this.layers[i] && this.layers[i].className !== 'Dropout');
    const title = `${this.position}. ${block.title}`;
    return html`<details class="block" ?open=${this.open} @toggle=${(e: Event) => (this.open = (e.target as HTMLDetailsElement).open)}>
      <summary>${title} <small>→ ${output.shape.join('×')}</small></summary>
      ${block.steps.length ? html`<p class="steps-line">Inside: ${block.kind === 'conv' || block.kind === 'dense' ? 'the weighted sum, then ' : ''}${block.steps.join(' → ')}</p>` : nothing}
      ${this.open
        ? html`<activation-layer .layer=${output} .heading=${this.outputHeading(block)} .filterLayer=${convName} .block=${this.position - 1}></activation-layer>
            ${inner.length > 1
              ? html`<details class="inner" @toggle=${(e: Event) => (this.stepsOpen = (e.target as HTMLDetailsElement).open)}>
                  <summary>Each step on its own (${inner.length})</summary>
                  ${this.stepsOpen
                    ? inner.map(
                        (i, k) => html`<activation-layer
                          .layer=${this.layers[i]}
                          .heading=${k === 0 ? 'The weighted sum alone' : `After ${stepName(this.layers[i].info)}`}
                          .filterLayer=${convName}
                          .block=${this.position - 1}
                        ></activation-layer>`,
                      )
                    : nothing}
                </details>`
              : nothing}`
        : nothing}
    </details>`;
  }
}

customElements.define('activation-block', ActivationBlock);

declare global {
  interface HTMLElementTagNameMap {
    'activation-block': ActivationBlock;
  }
}
