import type * as tf from '@tensorflow/tfjs';
import type { ModelSpec } from './spec';

/** Where the lab's current model came from, so every cell can say which model it uses. */
export type ModelSource = 'shipped' | 'trained' | 'uploaded';

/** The lab's current model. Owned by the lab state: replacing it disposes the old one. */
export class LabModel {
  constructor(
    readonly model: tf.LayersModel,
    readonly source: ModelSource,
    readonly description: string,
    readonly spec: ModelSpec | null = null,
    /** Anything else to free with the model, e.g. its optimizer (an optimizer object keeps tensors alive). */
    private readonly extra: { dispose(): void }[] = [],
  ) {}

  dispose(): void {
    for (const e of this.extra) e.dispose();
    this.model.dispose();
  }
}
