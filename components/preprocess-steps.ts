import { html, LitElement } from 'lit';
import type { InkSteps } from '../src/draw/ink';
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

/** How a picture's ink was found, in order: the picture, its paper, the ink's strength, the digit kept. */
export function pictureFigures(picture: InkSteps): StepFigure[] {
  const left = picture.dropped ? ` (${picture.dropped} speck${picture.dropped === 1 ? '' : 's'} or edge mark${picture.dropped === 1 ? '' : 's'} left out)` : '';
  return [
    { key: 'picture', caption: 'Your picture', image: picture.gray },
    { key: 'paper', caption: 'The paper and its light, estimated', image: picture.background },
    { key: 'strength', caption: picture.inverted ? 'Darker than its paper: ink' : 'Lighter than its background: ink', image: picture.strength },
    { key: 'kept', caption: `The digit kept${left}`, image: picture.ink },
  ];
}

/** The figures for MNIST's preparation, in order: the drawing, cropped to the ink, scaled, centred by mass. */
export function stepFigures(steps: PreprocessSteps, fromPicture = false): StepFigure[] {
  return [
    { key: 'raw', caption: fromPicture ? 'On the pad' : 'Your drawing', image: steps.raw },
    { key: 'cropped', caption: `Cropped to the ink (${steps.box.width}×${steps.box.height})`, image: steps.cropped },
    { key: 'scaled', caption: `Scaled to ${steps.scaled.width}×${steps.scaled.height}`, image: steps.scaled },
    { key: 'centred', caption: 'Centred by mass in 28×28: the input', image: steps.centred },
  ];
}

/**
 * "What the network sees": each step of MNIST's preparation of the drawing, white ink on black, side by side; for a
 * picture, first how its ink was found. Set `steps` (null: a note that the steps appear once there is ink) and
 * `picture` (null for a drawing).
 */
export class PreprocessStepsView extends LitElement {
  static override properties = {
    steps: { attribute: false },
    picture: { attribute: false },
  };

  declare steps: PreprocessSteps | null;
  declare picture: InkSteps | null;
  private readonly painted = new WeakMap<HTMLCanvasElement, GrayImage>();

  private figures(): StepFigure[] {
    if (!this.steps) return [];
    return [...(this.picture ? pictureFigures(this.picture) : []), ...stepFigures(this.steps, !!this.picture)];
  }

  static override styles = preprocessStepsStyles;

  constructor() {
    super();
    this.steps = null;
    this.picture = null;
  }

  protected override updated(): void {
    if (!this.steps) return;
    const figures = this.figures();
    for (const canvas of this.renderRoot.querySelectorAll<HTMLCanvasElement>('canvas.step')) {
      const figure = figures.find((f) => f.key === canvas.dataset.step);
      if (!figure) continue;
      const { image } = figure;
      // Painted once per image (a picture is large), not on every re-render.
      if (this.painted.get(canvas) === image) continue;
      this.painted.set(canvas, image);
      paintImage(canvas, image.data, image.width, image.height, greyColour);
      const scale = FRAME / Math.max(image.width, image.height);
      canvas.style.width = `${Math.max(1, Math.round(image.width * scale))}px`;
      canvas.style.height = `${Math.max(1, Math.round(image.height * scale))}px`;
    }
  }

  override render() {
    if (!this.steps) return html`<p class="steps-empty">The four preparation steps appear here once there is ink on the pad.</p>`;
    return html`<div class="steps">
      ${this.figures().map(
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
