import { html, LitElement } from 'lit';
import type { GrayImage, PreprocessSteps } from '../src/draw/preprocess';
import { greyColour, paintImage } from './draw-paint';
import { preprocessStepsStyles } from './preprocess-steps.styles';

/** The frame each step is shown in, in CSS pixels: every step keeps its proportions inside it. */
const FRAME = 84;

/** One picture in the row: what the network's input looked like after a step. */
export interface StepFigure {
  key: string;
  caption: string;
  image: GrayImage;
}

/** The figures for MNIST's preparation, in order: the drawing, cropped to the ink, scaled, centred by mass. */
export function stepFigures(steps: PreprocessSteps): StepFigure[] {
  return [
    { key: 'raw', caption: 'Your drawing', image: steps.raw },
    { key: 'cropped', caption: `Cropped to the ink (${steps.box.width}×${steps.box.height})`, image: steps.cropped },
    { key: 'scaled', caption: `Scaled to ${steps.scaled.width}×${steps.scaled.height}`, image: steps.scaled },
    { key: 'centred', caption: 'Centred by mass in 28×28: the input', image: steps.centred },
  ];
}

/**
 * "What the network sees": each step of MNIST's preparation of the drawing, white ink on black, side by side.
 * Set `steps` (null: a note that the steps appear once there is ink).
 */
export class PreprocessStepsView extends LitElement {
  static override properties = {
    steps: { attribute: false },
  };

  declare steps: PreprocessSteps | null;

  static override styles = preprocessStepsStyles;

  constructor() {
    super();
    this.steps = null;
  }

  protected override updated(): void {
    if (!this.steps) return;
    const figures = stepFigures(this.steps);
    for (const canvas of this.renderRoot.querySelectorAll<HTMLCanvasElement>('canvas.step')) {
      const figure = figures.find((f) => f.key === canvas.dataset.step);
      if (!figure) continue;
      const { image } = figure;
      paintImage(canvas, image.data, image.width, image.height, greyColour);
      const scale = FRAME / Math.max(image.width, image.height);
      canvas.style.width = `${Math.max(1, Math.round(image.width * scale))}px`;
      canvas.style.height = `${Math.max(1, Math.round(image.height * scale))}px`;
    }
  }

  override render() {
    if (!this.steps) return html`<p class="steps-empty">The four preparation steps appear here once there is ink on the pad.</p>`;
    return html`<div class="steps">
      ${stepFigures(this.steps).map(
        ({ key, caption }) =>
          html`<figure>
            <div class="frame"><canvas class="step" data-step=${key} aria-label=${caption}></canvas></div>
            <figcaption>${caption}</figcaption>
          </figure>`,
      )}
    </div>`;
  }
}

customElements.define('preprocess-steps', PreprocessStepsView);

declare global {
  interface HTMLElementTagNameMap {
    'preprocess-steps': PreprocessStepsView;
  }
}
