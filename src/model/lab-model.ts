import type * as tf from '@tensorflow/tfjs';
import type { ModelSpec } from './spec';

/** Where the lab's current model came from, so every cell can say which model it uses. */
export type ModelSource = 'shipped' | 'trained' | 'uploaded';

/** What the lab knows about a model besides its weights: shown wherever the model is used. */
export interface LabModelInfo {
  /** Accuracy on the 10,000 MNIST test digits (0–1), or null when it was not measured. */
  testAccuracy?: number | null;
  /** The training run it came from (its id in the run history), if any. */
  runId?: string | null;
}

/** The lab's current model. Owned by the lab state: replacing it disposes the old one. */
export class LabModel {
  readonly testAccuracy: number | null;
  readonly runId: string | null;

  constructor(
    readonly model: tf.LayersModel,
    readonly source: ModelSource,
    readonly description: string,
    readonly spec: ModelSpec | null = null,
    /** Anything else to free with the model, e.g. its optimizer (an optimizer object keeps tensors alive). */
    private readonly extra: { dispose(): void }[] = [],
    info: LabModelInfo = {},
  ) {
    this.testAccuracy = info.testAccuracy ?? null;
    this.runId = info.runId ?? null;
  }

  dispose(): void {
    for (const e of this.extra) e.dispose();
    this.model.dispose();
  }
}
