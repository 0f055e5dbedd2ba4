import type { ReactiveControllerHost } from 'lit';
import { IMAGE_SIZE } from '../src/data/mnist';
import type { InkSteps } from '../src/draw/ink';
import { bytesToInk } from '../src/draw/picture';
import { formatInteger } from '../src/format';
import type { PadInputController } from './draw-pad-input';
import { readPicture } from './draw-picture';
import { LabDatasetController } from './lab-dataset-controller';

export interface PadPicturesOptions {
  /** What is on the pad: a picture replaces it. */
  input: PadInputController;
  /** The pad's side in canvas pixels (a picture file is fitted to it). */
  size: number;
  /** A picture is on the pad now: read it. */
  onPicture: () => void;
  /** A picture file was read: an earlier error in the cell no longer applies. */
  clearError: () => void;
  /** Shows an error in the cell (a file that is no usable picture, a data set that does not load). */
  fail: (error: unknown) => void;
}

/**
 * Pictures on the Draw pad: a picture file (picked, or dropped on the pad) or a random test digit, with a sentence
 * about what was loaded and how the ink of a picture file was found. Re-renders the host when these change. Bind
 * the file input's `change` to `onFilePicked` and the pad's drag events to `onDragOver`, `onDragLeave`, `onDrop`.
 */
export class PadPicturesController {
  private readonly data: LabDatasetController;
  /** What was loaded, in a sentence (null when nothing was, or after Clear). */
  message: string | null = null;
  /** How the ink of the picture on the pad was found (null when no picture is on it). */
  steps: InkSteps | null = null;
  /** A file is dragged over the pad. */
  dragging = false;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly options: PadPicturesOptions,
  ) {
    this.data = new LabDatasetController(host, { load: 'lazy' });
  }

  /** Puts a random test digit on the pad. */
  readonly loadSample = async (): Promise<void> => {
    try {
      const dataset = await this.data.ensure();
      const index = Math.floor(Math.random() * dataset.test.count);
      this.options.input.setPicture(bytesToInk(dataset.image('test', index), IMAGE_SIZE, IMAGE_SIZE));
      this.steps = null;
      this.message = `Loaded test digit #${formatInteger(index)} (labelled ${dataset.label('test', index)}).`;
      this.host.requestUpdate();
      this.options.onPicture();
    } catch (error) {
      this.options.fail(error);
    }
  };

  readonly onFilePicked = (event: Event): void => {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    if (file) void this.loadFile(file);
    input.value = '';
  };

  readonly onDragOver = (event: DragEvent): void => {
    event.preventDefault();
    this.setDragging(true);
  };

  readonly onDragLeave = (): void => this.setDragging(false);

  readonly onDrop = (event: DragEvent): void => {
    event.preventDefault();
    this.setDragging(false);
    const file = event.dataTransfer?.files[0];
    if (file) void this.loadFile(file);
  };

  /** After Undo: the picture's steps go when no picture is left on the pad. */
  afterUndo(): void {
    if (!this.steps || this.options.input.items.some((item) => item.kind === 'picture')) return;
    this.steps = null;
    this.host.requestUpdate();
  }

  /** After Clear: no picture, nothing to say about one. */
  clear(): void {
    this.message = null;
    this.steps = null;
    this.host.requestUpdate();
  }

  /** Puts a picture file on the pad; a file that is no usable picture gets a message and the drawing stays. */
  private async loadFile(file: File): Promise<void> {
    try {
      const picture = await readPicture(file, this.options.size);
      this.options.clearError();
      this.options.input.setPicture(picture.ink);
      this.steps = picture.steps;
      const dropped = picture.steps.dropped ? `; ${picture.steps.dropped} speck${picture.steps.dropped === 1 ? '' : 's'} or edge mark${picture.steps.dropped === 1 ? '' : 's'} left out` : '';
      this.message = `Loaded “${file.name}”${picture.inverted ? ' (dark ink on a light background: inverted to white on black, as MNIST is' + dropped + ')' : dropped ? ` (${dropped.slice(2)})` : ''}.`;
      this.host.requestUpdate();
      this.options.onPicture();
    } catch (error) {
      this.options.fail(error);
    }
  }

  /** Changes `dragging`, re-rendering only on a change (dragover fires continuously). */
  private setDragging(dragging: boolean): void {
    if (dragging === this.dragging) return;
    this.dragging = dragging;
    this.host.requestUpdate();
  }
}
