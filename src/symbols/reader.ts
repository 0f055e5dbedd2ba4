/**
 * Reading with a model over the digits and, when taught, the learner's classes: one drawing (bars for every class)
 * or a whole line (split into characters, each prepared like MNIST, read in one batch, then worked out as a sum).
 */
import * as tf from '@tensorflow/tfjs';
import { IMAGE_PIXELS } from '../data/mnist';
import type { Box, GrayImage } from '../draw/preprocess';
import { predictDigit, topClass } from '../inspect/predict';
import { readLine, type LineReading } from './arithmetic';
import { imagesTensor } from './features';
import { prepareSegments, segmentLine } from './segment';

export interface SymbolReading {
  /** One name per output: "0"…"9", then the learner's classes. */
  labels: string[];
  probabilities: number[];
  /** The top class: its index, name and probability. */
  index: number;
  label: string;
  confidence: number;
}

/** One drawing read by `model` (one output per label); no tensor outlives the call. */
export async function readSymbol(model: tf.LayersModel, labels: readonly string[], pixels: ArrayLike<number>): Promise<SymbolReading> {
  const { probabilities, digit, confidence } = await predictDigit(model, pixels);
  if (probabilities.length !== labels.length) throw new Error(`the model answers ${probabilities.length} classes but ${labels.length} are named`);
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

/** A line of handwriting read character by character (one forward pass for all of them). */
export async function readLineWith(model: tf.LayersModel, labels: readonly string[], ink: GrayImage): Promise<LineResult> {
  const segments = segmentLine(ink);
  if (segments.length === 0) return { characters: [], reading: readLine([]) };
  const prepared = prepareSegments(segments);
  const batch = new Float32Array(prepared.length * IMAGE_PIXELS);
  prepared.forEach((p, i) => batch.set(p, i * IMAGE_PIXELS));
  const out = tf.tidy(() => model.predict(imagesTensor(batch)) as tf.Tensor2D);
  let values: Float32Array;
  try {
    values = (await out.data()) as Float32Array;
  } finally {
    out.dispose();
  }
  const classes = values.length / prepared.length;
  if (classes !== labels.length) throw new Error(`the model answers ${classes} classes but ${labels.length} are named`);
  const characters = segments.map((segment, i) => {
    const { digit, confidence } = topClass(values.subarray(i * classes, (i + 1) * classes));
    return { box: segment.box, pixels: prepared[i], label: labels[digit], confidence };
  });
  return { characters, reading: readLine(characters.map((c) => c.label)) };
}
