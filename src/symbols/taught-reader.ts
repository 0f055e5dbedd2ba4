/**
 * The taught model that reads on the page: right after teaching, the lab model's own body with the new head; otherwise
 * the whole extended model, built on the page. Owns and frees the model it builds.
 */
import type * as tf from '@tensorflow/tfjs';
import { NUM_CLASSES } from '../data/mnist';
import { modelFromData } from '../model/artifacts';
import type { LabModel } from '../model/lab-model';
import { warmUp } from '../model/shipped';
import { yieldToEventLoop } from '../train/yield';
import type { HeadWeights } from './features';
import type { TaughtModel } from './file';
import { measured } from './measured';
import { headOnBody, modelPredictor, type Predictor } from './reader';

export class TaughtReader {
  private installed: TaughtModel | null = null;
  /** The taught model built whole on the page (kept, loaded, or rebuilt), or null. */
  private model: tf.LayersModel | null = null;
  /** Right after teaching: the lab model whose body reads, with the new head. */
  private shared: { base: LabModel; predictor: Predictor } | null = null;
  private rebuilding: Promise<void> | null = null;

  /** The taught model that reads, or null (the lab's model reads digits only). */
  get taught(): TaughtModel | null {
    return this.installed;
  }

  /**
   * Makes `taught` the model that reads. Right after teaching (`onBase`) it reads through the lab model's own body,
   * already on the page and warm, and the new head: nothing is built. Otherwise (kept in the browser, loaded from a
   * file, or the lab's model has changed since) the whole extended model is built; building and its first prediction
   * each take a task of their own, so the page answers in between. The model it replaces is freed.
   */
  async install(taught: TaughtModel, onBase?: { base: LabModel; head: HeadWeights }): Promise<void> {
    if (onBase) {
      this.drop();
      this.shared = { base: onBase.base, predictor: headOnBody(onBase.base.model, onBase.head) };
      this.installed = taught;
      return;
    }
    await yieldToEventLoop();
    const model = await measured('build', () => modelFromData(taught.data));
    await yieldToEventLoop();
    try {
      const outputs = model.outputs[0]?.shape?.[1];
      if (outputs !== NUM_CLASSES + taught.classNames.length) throw new Error(`the model answers ${outputs} classes, not ${NUM_CLASSES + taught.classNames.length}`);
      await measured('first-prediction', () => warmUp(model));
    } catch (error) {
      model.dispose();
      throw error;
    }
    this.drop();
    this.model = model;
    this.installed = taught;
  }

  /** What reads now: the taught model (rebuilt whole if the lab model it shared has been replaced), else `fallback`. */
  async predictor(fallback: LabModel | null): Promise<Predictor | null> {
    const taught = this.installed;
    if (taught && this.shared) {
      if (this.shared.base === fallback) return this.shared.predictor;
      this.rebuilding ??= this.install(taught).finally(() => (this.rebuilding = null));
      await this.rebuilding;
    }
    if (this.model && this.installed) return modelPredictor(this.model);
    return fallback ? modelPredictor(fallback.model) : null;
  }

  /** Frees the built model and forgets the taught one: the lab's model reads digits only. */
  drop(): void {
    this.model?.dispose();
    this.model = null;
    this.shared = null;
    this.installed = null;
  }
}
