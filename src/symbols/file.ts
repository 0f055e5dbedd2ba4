/**
 * One file for a class set and its taught model, so a teacher can hand both to a class: JSON with the drawings
 * (28×28 bytes each) and the extended model's topology and weights in base64. Reading a file checks everything
 * before anything in the lab changes, and says what is wrong in words.
 */
import type * as tf from '@tensorflow/tfjs';
import { NUM_CLASSES } from '../data/mnist';
import type { ModelData } from '../model/artifacts';
import { ClassSetError, EMPTY_CLASS_SET, checkClassName, parseClassSet, type ClassSet } from './class-set';
import type { DigitCheck } from './digit-check';
import { outputUnits } from './extended-model';
import type { FineTuneReport } from './fine-tune';
import type { HeldOut } from './held-out';
import type { TeachSteps } from './teach-protocol';

export const FILE_FORMAT = 'digit-lab-symbols';
export const FILE_VERSION = 1;
/** Bigger files are refused before they are read: a class set with a classic model is about 5 MB. */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** What the lab knows about a taught model besides its weights. */
export interface TeachReport {
  /** The model whose body was reused. */
  baseDescription: string;
  taughtAt: number;
  /** Drawings per class when it was taught. */
  examples: number[];
  heldOut: HeldOut | null;
  digits: DigitCheck | null;
  /** Seconds from Teach to a model ready to read with, then for the held-out check and the test digits. */
  seconds: { ready: number; heldOut: number | null; digits: number | null };
  /** Where the seconds to a ready model went: on the page (preparing the request, switching to the new head) and in the engine. */
  steps?: TeachSteps & { request: number; engine: number; install: number };
  /** When the last convolution block was unfrozen too (then this model has it so): how it compares with the frozen body. */
  unfrozen?: FineTuneReport;
}

/** A taught model: the extended model as data, the classes it answers after the digits, and its report. */
export interface TaughtModel {
  data: ModelData;
  classNames: string[];
  report: TeachReport;
}

export interface SymbolFile {
  classSet: ClassSet;
  taught: TaughtModel | null;
}

/** A file the lab cannot use; the message says why. Nothing was changed. */
export class SymbolFileError extends Error {
  override name = 'SymbolFileError';
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function fromBase64(text: unknown, what: string): Uint8Array {
  if (typeof text !== 'string') throw new SymbolFileError(`The file is damaged: ${what} is missing.`);
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    throw new SymbolFileError(`The file is damaged: ${what} is not valid base64.`);
  }
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** The file's text. */
export function writeSymbolFile(file: SymbolFile, now = new Date()): string {
  const model = file.taught && {
    classNames: file.taught.classNames,
    report: file.taught.report,
    modelTopology: file.taught.data.modelTopology,
    weightSpecs: file.taught.data.weightSpecs,
    weightData: toBase64(new Uint8Array(file.taught.data.weightData)),
  };
  return JSON.stringify({
    format: FILE_FORMAT,
    version: FILE_VERSION,
    savedAt: now.toISOString(),
    classes: file.classSet.classes.map((c) => ({ name: c.name, examples: c.examples.map(toBase64) })),
    model,
  });
}

function parseTaught(raw: unknown): TaughtModel | null {
  if (raw === null || raw === undefined) return null;
  const m = raw as { classNames?: unknown; report?: unknown; modelTopology?: unknown; weightSpecs?: unknown; weightData?: unknown };
  if (typeof m !== 'object' || !Array.isArray(m.classNames) || typeof m.modelTopology !== 'object' || m.modelTopology === null || !Array.isArray(m.weightSpecs)) {
    throw new SymbolFileError('The file’s model is damaged: it lacks its classes, topology or weights manifest.');
  }
  let names = EMPTY_CLASS_SET;
  for (const name of m.classNames) {
    const check = typeof name === 'string' ? checkClassName(name, names) : { ok: false as const, message: 'a class name is not text.' };
    if (!check.ok) throw new SymbolFileError(`The file’s model has a class name the lab refuses: ${check.message}`);
    names = { classes: [...names.classes, { name: check.name, examples: [] }] };
  }
  const weights = fromBase64(m.weightData, 'the model’s weights');
  const data: ModelData = { modelTopology: m.modelTopology, weightSpecs: m.weightSpecs as tf.io.WeightsManifestEntry[], weightData: weights.slice().buffer };
  let units: number;
  try {
    units = outputUnits(data);
  } catch (error) {
    throw new SymbolFileError(`The file’s model cannot be used: ${(error as Error).message}`);
  }
  if (units !== NUM_CLASSES + names.classes.length) {
    throw new SymbolFileError(`The file’s model answers ${units} classes but names ${NUM_CLASSES} digits and ${names.classes.length} class${names.classes.length === 1 ? '' : 'es'} of its own.`);
  }
  const expected = (m.weightSpecs as { shape?: unknown }[]).reduce((sum, s) => sum + (Array.isArray(s.shape) ? s.shape.reduce((a: number, b: number) => a * b, 1) * 4 : NaN), 0);
  if (expected !== weights.byteLength) throw new SymbolFileError(`The file’s model weights are ${weights.byteLength.toLocaleString('en-US')} bytes but its manifest needs ${expected.toLocaleString('en-US')}: the file is damaged.`);
  const report = m.report as TeachReport;
  const safeReport: TeachReport =
    typeof report === 'object' && report !== null && typeof report.baseDescription === 'string'
      ? report
      : { baseDescription: 'a model from a file', taughtAt: 0, examples: [], heldOut: null, digits: null, seconds: { ready: NaN, heldOut: null, digits: null } };
  return { data, classNames: names.classes.map((c) => c.name), report: safeReport };
}

/** Reads a class-set file's text; throws SymbolFileError with the reason when it is not one the lab can use. */
export function readSymbolFile(text: string, fileName = 'The file'): SymbolFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SymbolFileError(`“${fileName}” is not a Digit Lab class set: it is not JSON. Choose a file saved with “Download class set”.`);
  }
  const f = json as { format?: unknown; version?: unknown; classes?: unknown; model?: unknown } | null;
  if (typeof f !== 'object' || f === null || f.format !== FILE_FORMAT) {
    throw new SymbolFileError(`“${fileName}” is not a Digit Lab class set. Choose a file saved with “Download class set”.`);
  }
  if (typeof f.version !== 'number' || f.version > FILE_VERSION) {
    throw new SymbolFileError(`“${fileName}” was saved by a newer version of Digit Lab (format ${String(f.version)}); this one reads format ${FILE_VERSION}.`);
  }
  if (!Array.isArray(f.classes)) throw new SymbolFileError(`“${fileName}” is damaged: it has no list of classes.`);
  let classSet: ClassSet;
  try {
    classSet = parseClassSet({
      classes: f.classes.map((c: { name?: unknown; examples?: unknown } | null) => ({
        name: c?.name,
        examples: Array.isArray(c?.examples) ? c.examples.map((e: unknown) => fromBase64(e, 'a drawing')) : c?.examples,
      })),
    });
  } catch (error) {
    if (error instanceof ClassSetError || error instanceof SymbolFileError) throw new SymbolFileError(`“${fileName}”: ${error.message}`);
    throw error;
  }
  return { classSet, taught: parseTaught(f.model) };
}
