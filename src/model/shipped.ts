import * as tf from '@tensorflow/tfjs';
import { IMAGE_SIZE } from '../data/mnist';
import { formatPercent } from '../format';
import { checkMnistModel } from './compatible';
import { LabModel } from './lab-model';

/** data/model/report.json: how the shipped model was trained and how well it does. */
export interface ShippedReport {
  /** The preset's name, e.g. "classic". */
  model?: string;
  /** The full spec it was built from (older reports had only a name here). */
  spec?: { name?: string } | string;
  epochs?: number;
  testAccuracy?: number;
}

export interface ShippedOptions {
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

/**
 * Runs one prediction so that the backend compiles its kernels (WebGL shaders) now, not on the learner's first
 * drawing.
 */
export async function warmUp(model: tf.LayersModel): Promise<void> {
  const out = tf.tidy(() => model.predict(tf.zeros([1, IMAGE_SIZE, IMAGE_SIZE, 1])) as tf.Tensor);
  try {
    await out.data();
  } finally {
    out.dispose();
  }
}

/** What a cell says about the shipped model. */
export function describeShipped(report: ShippedReport | null): string {
  const parts = ['pre-trained model shipped with the lab'];
  const name = report?.model ?? (typeof report?.spec === 'string' ? report.spec : report?.spec?.name);
  if (name) parts.push(`${name} network`);
  if (typeof report?.testAccuracy === 'number') parts.push(`${formatPercent(report.testAccuracy)} on the 10,000 test digits`);
  return `The ${parts[0]}` + (parts.length > 1 ? ` (${parts.slice(1).join(', ')})` : '');
}

/** Loads the pre-trained model from `<baseUrl>model.json`, checks its shape and warms it up. */
export async function loadShippedModel(baseUrl: string, options: ShippedOptions = {}): Promise<LabModel> {
  const fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
  const reportPromise = fetchFn(new URL('report.json', baseUrl).href, { signal: options.signal })
    .then((r) => (r.ok ? (r.json() as Promise<ShippedReport>) : null))
    .catch(() => null);
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(new URL('model.json', baseUrl).href, { fetchFunc: fetchFn, requestInit: { signal: options.signal } });
  } catch (error) {
    throw new Error(`The pre-trained model could not be loaded (${(error as Error).message}).`);
  }
  // Marks for the benchmark: how the time to the first possible prediction splits between loading and warming up.
  performance.mark('digit-lab:model-loaded');
  try {
    // The check's probe prediction also warms the model up.
    await checkMnistModel(model);
    performance.mark('digit-lab:model-warm');
  } catch (error) {
    model.dispose();
    throw error;
  }
  const report = await reportPromise;
  return new LabModel(model, 'shipped', describeShipped(report), null, [], { testAccuracy: typeof report?.testAccuracy === 'number' ? report.testAccuracy : null });
}
