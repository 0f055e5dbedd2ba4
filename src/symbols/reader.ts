/**
 * Reading with a model over the digits and, when taught, the learner's classes: one drawing (bars for every class)
 * or a whole line (split into characters, each prepared like MNIST, read in one batch, then worked out as a sum).
 * A model to read with is a Predictor: a whole tfjs model, or — right after teaching — the lab model's own body
 * (already on the page, already warm) followed by the new head in plain arithmetic, so nothing is rebuilt.
 */
import * as tf from '@tensorflow/tfjs';
import { IMAGE_PIXELS } from '../data/mnist';
import type { Box, GrayImage } from '../draw/preprocess';
import { chainLayers } from '../inspect/activations';
import { topClass } from '../inspect/predict';
import { readLine, type LineReading } from './arithmetic';
import { bodyFeatures, imageCount, imagesTensor, type HeadWeights } from './features';
import { headLogits } from './head';
import { prepareSegments, segmentLine } from './segment';

/** Class probabilities for a batch of 28×28 images (n × 784 in [0, 1]): n × classes, row after row. */
export interface Predictor {
  readonly classes: number;
  predict(images: Float32Array): Promise<Float32Array>;
}

/** A whole model (the caller owns it). */
export function modelPredictor(model: tf.LayersModel): Predictor {
  return {
    classes: Number(model.outputs[0]?.shape?.[1]),
    async predict(images) {
      const out = tf.tidy(() => model.predict(imagesTensor(images)) as tf.Tensor);
      try {
        return (await out.data()) as Float32Array;
      } finally {
        out.dispose();
      }
    },
  };
}

/** Softmax of each row of `logits` in place. */
function softmaxRows(logits: Float32Array, classes: number): Float32Array {
  for (let start = 0; start < logits.length; start += classes) {
    const row = logits.subarray(start, start + classes);
    const max = Math.max(...row);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += row[c] = Math.exp(row[c] - max);
    for (let c = 0; c < classes; c++) row[c] /= sum;
  }
  return logits;
}

/** The body of `model` (every layer but its last, frozen) with `head` in place of its last layer. */
export function headOnBody(model: tf.LayersModel, head: HeadWeights): Predictor {
  const body = chainLayers(model).slice(0, -1);
  return {
    classes: head.classes,
    async predict(images) {
      const features = tf.tidy(() => bodyFeatures(body, imagesTensor(images)));
      let values: Float32Array;
      try {
        values = (await features.data()) as Float32Array;
      } finally {
        features.dispose();
      }
      if (values.length !== imageCount(images) * head.features) throw new Error(`the model’s body gives ${values.length / imageCount(images)} features, the head reads ${head.features}`);
      return softmaxRows(headLogits(values, imageCount(images), head), head.classes);
    },
  };
}

export interface SymbolReading {
  /** One name per output: "0"…"9", then the learner's classes. */
  labels: string[];
  probabilities: number[];
  /** The top class: its index, name and probability. */
  index: number;
  label: string;
  confidence: number;
}

function checkLabels(predictor: Predictor, labels: readonly string[]): void {
  if (predictor.classes !== labels.length) throw new Error(`the model answers ${predictor.classes} classes but ${labels.length} are named`);
}

/** One drawing (784 values in [0, 1]) read by `predictor`, one output per label. */
export async function readSymbol(predictor: Predictor, labels: readonly string[], pixels: ArrayLike<number>): Promise<SymbolReading> {
  checkLabels(predictor, labels);
  if (pixels.length !== IMAGE_PIXELS) throw new RangeError(`an input must have ${IMAGE_PIXELS} pixels, not ${pixels.length}`);
  const probabilities = Array.from(await predictor.predict(Float32Array.from(pixels)));
  if (probabilities.some((p) => !Number.isFinite(p))) throw new Error('the model gave a non-number (NaN) for this input; it may be broken');
  const { digit, confidence } = topClass(probabilities);
  return { labels: [...labels], probabilities, index: digit, label: labels[digit], confidence };
}

export interface LineCharacter {
  /** Where it is on the line. */
  box: Box;
  /** Prepared as MNIST: 28×28 in [0, 1]. */
  pixels: Float32Array;
  label: string;
  confidence: number;
}

export interface LineResult {
  characters: LineCharacter[];
  reading: LineReading;
}

/** A line of handwriting read character by character (one batch for all of them). */
export async function readLineWith(predictor: Predictor, labels: readonly string[], ink: GrayImage): Promise<LineResult> {
  checkLabels(predictor, labels);
  const segments = segmentLine(ink);
  if (segments.length === 0) return { characters: [], reading: readLine([]) };
  const prepared = prepareSegments(segments);
  const batch = new Float32Array(prepared.length * IMAGE_PIXELS);
  prepared.forEach((p, i) => batch.set(p, i * IMAGE_PIXELS));
  const values = await predictor.predict(batch);
  const classes = predictor.classes;
  const characters = segments.map((segment, i) => {
    const { digit, confidence } = topClass(values.subarray(i * classes, (i + 1) * classes));
    return { box: segment.box, pixels: prepared[i], label: labels[digit], confidence };
  });
  return { characters, reading: readLine(characters.map((c) => c.label)) };
}
