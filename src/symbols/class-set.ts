/**
 * The learner's own classes beyond the ten digits: each a name and its example drawings, already prepared as MNIST
 * (28×28 bytes, white on black). Plain data, changed only by these functions (each returns a new set), so a refused
 * change leaves the set exactly as it was.
 */
import { IMAGE_PIXELS, NUM_CLASSES } from '../data/mnist';

export interface SymbolClass {
  name: string;
  /** Each 784 bytes (0–255), prepared like MNIST. */
  examples: Uint8Array[];
}

export interface ClassSet {
  classes: SymbolClass[];
}

export const EMPTY_CLASS_SET: ClassSet = { classes: [] };

/** At most this many new classes beside the ten digits. */
export const MAX_CLASSES = 16;
/** Examples kept per class (teaching takes longer with each). */
export const MAX_EXAMPLES = 100;
/** The longest class name, in characters. */
export const MAX_NAME_LENGTH = 24;

/** A change the lab refuses; the message says why and what to do. Nothing was changed. */
export class ClassSetError extends Error {
  override name = 'ClassSetError';
}

export type NameCheck = { ok: true; name: string } | { ok: false; message: string };

/** The names the network already answers: the ten digits. */
export const DIGIT_NAMES: readonly string[] = Array.from({ length: NUM_CLASSES }, (_, d) => String(d));

/**
 * Checks a class name as typed: trimmed, 1–24 characters, no HTML or control characters, not a digit, not a name
 * already used. The message never repeats a long input back.
 */
export function checkClassName(input: string, set: ClassSet): NameCheck {
  const name = input.normalize('NFC').trim();
  if (name === '') return { ok: false, message: 'Give the class a name: a symbol such as +, or a word (up to 24 characters).' };
  if (/[<>]/.test(name)) return { ok: false, message: 'Class names cannot contain < or >: HTML is not allowed in a name.' };
  const length = [...name].length;
  if (length > MAX_NAME_LENGTH) {
    return { ok: false, message: `That name is ${length.toLocaleString('en-US')} characters long: use at most ${MAX_NAME_LENGTH}.` };
  }
  // Control characters (C0, C1) and line or paragraph separators would break the gallery and the file.
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(name)) return { ok: false, message: 'Class names cannot contain line breaks or control characters.' };
  if (DIGIT_NAMES.includes(name)) return { ok: false, message: `“${name}” is a digit: the network reads the ten digits already. Pick another name.` };
  if (set.classes.some((c) => c.name === name)) return { ok: false, message: `There is already a class called “${name}”.` };
  if (set.classes.length >= MAX_CLASSES) return { ok: false, message: `There are ${MAX_CLASSES} classes already, the most the lab takes. Delete one first.` };
  return { ok: true, name };
}

/** The set with a new, empty class; throws ClassSetError with the reason for a refused name. */
export function addClass(set: ClassSet, input: string): ClassSet {
  const check = checkClassName(input, set);
  if (!check.ok) throw new ClassSetError(check.message);
  return { classes: [...set.classes, { name: check.name, examples: [] }] };
}

function classIndex(set: ClassSet, name: string): number {
  const index = set.classes.findIndex((c) => c.name === name);
  if (index < 0) throw new ClassSetError(`There is no class called “${name}”.`);
  return index;
}

export function removeClass(set: ClassSet, name: string): ClassSet {
  const index = classIndex(set, name);
  return { classes: set.classes.filter((_, i) => i !== index) };
}

/** A prepared 28×28 image (floats 0–1 or bytes) as the bytes a class keeps. */
export function toExampleBytes(pixels: ArrayLike<number>): Uint8Array {
  if (pixels.length !== IMAGE_PIXELS) throw new ClassSetError(`An example must be a 28×28 image (784 pixels), not ${pixels.length} values.`);
  if (pixels instanceof Uint8Array) return pixels.slice();
  return Uint8Array.from(pixels, (v) => Math.round(Math.max(0, Math.min(1, v)) * 255));
}

export function addExample(set: ClassSet, name: string, pixels: ArrayLike<number>): ClassSet {
  const index = classIndex(set, name);
  const target = set.classes[index];
  if (target.examples.length >= MAX_EXAMPLES) throw new ClassSetError(`“${name}” has ${MAX_EXAMPLES} drawings already, the most a class keeps.`);
  const bytes = toExampleBytes(pixels);
  if (!bytes.some((v) => v > 0)) throw new ClassSetError('That drawing is empty: draw the symbol first.');
  return { classes: set.classes.map((c, i) => (i === index ? { name: c.name, examples: [...c.examples, bytes] } : c)) };
}

export function removeExample(set: ClassSet, name: string, exampleIndex: number): ClassSet {
  const index = classIndex(set, name);
  const target = set.classes[index];
  if (!(Number.isInteger(exampleIndex) && exampleIndex >= 0 && exampleIndex < target.examples.length)) {
    throw new ClassSetError(`“${name}” has no drawing number ${exampleIndex + 1}.`);
  }
  return { classes: set.classes.map((c, i) => (i === index ? { name: c.name, examples: c.examples.filter((_, k) => k !== exampleIndex) } : c)) };
}

/** Every example in one block (n × 784 bytes) with its class index, in class order. */
export function flattenExamples(set: ClassSet): { images: Uint8Array; labels: Uint8Array } {
  const count = set.classes.reduce((n, c) => n + c.examples.length, 0);
  const images = new Uint8Array(count * IMAGE_PIXELS);
  const labels = new Uint8Array(count);
  let at = 0;
  set.classes.forEach((c, k) => {
    for (const example of c.examples) {
      images.set(example, at * IMAGE_PIXELS);
      labels[at++] = k;
    }
  });
  return { images, labels };
}

/** The least number of drawings any class has (0 for no class). */
export const fewestExamples = (set: ClassSet): number => (set.classes.length ? Math.min(...set.classes.map((c) => c.examples.length)) : 0);

/** Whether a value read back from storage or a file still has the shape of a class set (names are checked again). */
export function parseClassSet(value: unknown): ClassSet {
  const v = value as { classes?: unknown } | null;
  if (typeof v !== 'object' || v === null || !Array.isArray(v.classes)) throw new ClassSetError('The class set is damaged: it has no list of classes.');
  let set: ClassSet = EMPTY_CLASS_SET;
  for (const raw of v.classes as unknown[]) {
    const c = raw as { name?: unknown; examples?: unknown } | null;
    if (typeof c !== 'object' || c === null || typeof c.name !== 'string' || !Array.isArray(c.examples)) {
      throw new ClassSetError('The class set is damaged: a class has no name or no drawings list.');
    }
    const check = checkClassName(c.name, set);
    if (!check.ok) throw new ClassSetError(`The class set has a class name the lab refuses: ${check.message}`);
    if (c.examples.length > MAX_EXAMPLES) throw new ClassSetError(`“${check.name}” has ${c.examples.length} drawings; a class keeps at most ${MAX_EXAMPLES}.`);
    const examples = c.examples.map((e: unknown) => {
      if (!(e instanceof Uint8Array) || e.length !== IMAGE_PIXELS) throw new ClassSetError(`A drawing of “${check.name}” is not a 28×28 image.`);
      return e;
    });
    set = { classes: [...set.classes, { name: check.name, examples }] };
  }
  return set;
}
