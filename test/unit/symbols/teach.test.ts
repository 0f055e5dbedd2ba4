// Teaching the shipped classic network new symbols, end to end in Node on the WASM backend, through the same
// engine the training worker runs (in-process here) and the page's session: the figures of issue 14.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preprocess } from '../../../src/draw/preprocess';
import { formatPercent } from '../../../src/format';
import type { LabModel } from '../../../src/model/lab-model';
import { paintStrokes } from '../../../src/symbols/raster';
import { SymbolSession } from '../../../src/symbols/session';
import type { HeadTrainer } from '../../../src/symbols/teach-runner';
import type { HeadEvent } from '../../../src/symbols/teach-protocol';
import type { TrainingEngine } from '../../../src/train/engine';
import { FIRST_TEST_DIGITS, SHIPPED_RIGHT_OF_FIRST_TEST_DIGITS } from '../data/test-digits';
import { openShippedEngine } from './shipped-engine';
import { linePaths, otherStyleDrawing, paintDrawing, taughtDrawing, type Drawing, type Shape } from './strokes';

let base: LabModel;
let engine: TrainingEngine;
let events: HeadEvent[] = [];

/** The digit check scores the first 2,000 test digits: enough for its 0.5-point bar (10 digits) to mean something. */
const TEST_DIGITS = FIRST_TEST_DIGITS;

/** The in-process engine as the page's session sees the lab's trainer. */
const trainer: HeadTrainer = {
  busy: false,
  trainHead: (request, onEvent) =>
    engine.trainHead(request, (event) => {
      events.push(event);
      onEvent(event);
    }),
};

const prepared = (drawing: Drawing) => preprocess(paintDrawing(drawing)).centred.data;

function drawClasses(session: SymbolSession, shapes: Shape[], count: number): void {
  for (const shape of shapes) {
    session.addClass(shape);
    for (let i = 1; i <= count; i++) session.addExample(shape, prepared(taughtDrawing(shape, i)));
  }
}

async function readAll(session: SymbolSession, drawings: Drawing[]): Promise<string[]> {
  const labels: string[] = [];
  for (const d of drawings) labels.push((await session.read(prepared(d), base))!.label);
  return labels;
}

beforeAll(async () => {
  ({ base, engine } = await openShippedEngine(TEST_DIGITS));
});

afterAll(async () => {
  base.dispose();
  await tf.setBackend('cpu');
});

describe('teaching + and × from 12 drawings each (stroke paths made in the test)', () => {
  const session = new SymbolSession();
  const plus = Array.from({ length: 10 }, (_, i) => otherStyleDrawing('+', i));
  const times = Array.from({ length: 10 }, (_, i) => otherStyleDrawing('×', i));
  const digits: Shape[] = ['0', '1', '2', '3', '4', '5', '7'];
  const digitDrawings = digits.flatMap((d) => [taughtDrawing(d, 3), otherStyleDrawing(d, 2)]);

  it('is ready to read within seconds, reads 10 new drawings of each in other styles right (≥ 9 of 10), and digits as before', async () => {
    // Before teaching the network can only answer digits: a + is read as some digit.
    expect(await readAll(session, plus.slice(0, 3))).toSatisfy((labels: string[]) => labels.every((l) => /^\d$/.test(l)));
    drawClasses(session, ['+', '×'], 12);
    events = [];
    const t0 = performance.now();
    await session.teach(base, trainer);
    const wall = (performance.now() - t0) / 1000;
    const report = session.taught!.report;
    console.log(`[figure] taught + and × (12 drawings each) in Node/WASM: ready ${report.seconds.ready.toFixed(2)} s, held-out ${report.seconds.heldOut?.toFixed(2)} s, test digits ${report.seconds.digits?.toFixed(2)} s (all ${wall.toFixed(2)} s)`);
    // The 10-second figure of the issue is measured in Chromium (test/e2e/symbols.spec.ts); here the bound only
    // catches a teaching gone far slower (this machine's two cores are shared).
    expect(report.seconds.ready).toBeLessThanOrEqual(30);
    expect(session.labels).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '+', '×']);
    expect(events.map((e) => e.type)).toContain('head');

    const readPlus = await readAll(session, plus);
    const readTimes = await readAll(session, times);
    console.log(`[figure] other styles read right: + ${readPlus.filter((l) => l === '+').length}/10 (${readPlus.join(' ')}), × ${readTimes.filter((l) => l === '×').length}/10 (${readTimes.join(' ')})`);
    expect(readPlus.filter((l) => l === '+').length).toBeGreaterThanOrEqual(9);
    expect(readTimes.filter((l) => l === '×').length).toBeGreaterThanOrEqual(9);

    const readDigits = await readAll(session, digitDrawings);
    expect(readDigits).toEqual(digits.flatMap((d) => [d, d]));
    // The same drawings, read by the base model alone, give the same digits.
    const fresh = new SymbolSession();
    expect(await readAll(fresh, digitDrawings)).toEqual(readDigits);
  }, 600_000);

  it('the Draw lesson reads with the taught classes until the learner switches to digits only', () => {
    const seen: (string[] | null)[] = [];
    const off = session.subscribe(() => seen.push(session.drawLabels));
    expect(session.drawLabels).toEqual(session.labels);
    session.setDrawWithClasses(false);
    session.setDrawWithClasses(false);
    session.setDrawWithClasses(true);
    off();
    // One change each way; the repeated choice changed nothing.
    expect(seen).toEqual([null, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '+', '×']]);
    // Before anything is taught the pad reads digits only, whatever the choice.
    expect(new SymbolSession().drawLabels).toBeNull();
  });

  it('reports held-out accuracy (k-fold) with a confusion matrix over digits and the new classes', () => {
    const heldOut = session.taught!.report.heldOut!;
    expect(heldOut.method).toBe('k-fold');
    expect(heldOut.folds).toBe(4);
    expect(heldOut.drawings.count).toBe(24);
    expect(heldOut.digits.count).toBe(300);
    expect(heldOut.confusion).toHaveLength(12);
    expect(heldOut.confusion.flat().reduce((a, b) => a + b, 0)).toBe(324);
    expect(heldOut.drawings.correct / heldOut.drawings.count).toBeGreaterThanOrEqual(0.9);
    console.log(`[figure] held-out (4-fold): drawings ${heldOut.drawings.correct}/${heldOut.drawings.count}, digits ${heldOut.digits.correct}/${heldOut.digits.count}`);
  });

  it('keeps MNIST test accuracy on digits within 0.5 point of the base model’s (the first 2,000 test digits)', () => {
    const digits = session.taught!.report.digits!;
    expect(digits.count).toBe(TEST_DIGITS);
    // The base model's score from the same features is the model's own, read whole (on all 10,000 test digits it is
    // report.json's 99.60%: shipped-accuracy.test.ts).
    expect(digits.base).toBe(SHIPPED_RIGHT_OF_FIRST_TEST_DIGITS);
    console.log(`[figure] MNIST test digits (first ${TEST_DIGITS}): base ${formatPercent(digits.base / digits.count, 2)}, extended ${formatPercent(digits.extended / digits.count, 2)} (${digits.readAsNew} read as a new class)`);
    expect(Math.abs(digits.extended - digits.base) / digits.count).toBeLessThanOrEqual(0.005);
  });

  it('prepared ahead, teaching again reuses the digit sample’s features', async () => {
    await session.prepare(base, trainer);
    events = [];
    await session.teach(base, trainer, undefined, false);
    const head = events.find((e) => e.type === 'head');
    expect(head?.type === 'head' && head.steps.digitFeatures).toBeLessThan(0.05);
  }, 300_000);

  it('after teaching 5 times no tensor is left behind, in the engine or on the page', async () => {
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) expect(await session.teach(base, trainer, undefined, i % 2 === 0)).toBe('taught');
    expect(tf.memory().numTensors).toBe(before);
    console.log(`[figure] tensors after 5 more teachings: ${tf.memory().numTensors} (before: ${before})`);
  }, 600_000);

  it('the class set and model saved as one file load into a new session with the same predictions', async () => {
    const text = session.fileText();
    const other = new SymbolSession();
    const summary = await other.loadFile(text, 'symbols.json');
    expect(summary).toBe('Loaded “symbols.json”: 2 classes (+ ×), 24 drawings, and its taught model.');
    const drawings = [...plus.slice(0, 4), ...times.slice(0, 4), ...digitDrawings.slice(0, 4)];
    for (const d of drawings) {
      const [a, b] = [await session.read(prepared(d), null), await other.read(prepared(d), null)];
      expect(b!.label).toBe(a!.label);
      b!.probabilities.forEach((p, i) => expect(p).toBeCloseTo(a!.probabilities[i], 6));
    }
    other.dispose();
  });

  afterAll(() => session.dispose());
});

describe('reading a whole line', () => {
  it('"12+7=" written with stroke paths reads "12 + 7 = 19"', async () => {
    const session = new SymbolSession();
    drawClasses(session, ['+', '×', '=', '−'], 12);
    await session.teach(base, trainer, undefined, false);
    const [width, height] = [840, 280];
    const strokes = linePaths('12+7=', width / height).map((path) => ({ kind: 'stroke' as const, size: 22, points: path.map(([x, y]): [number, number] => [x * width, y * height]) }));
    const line = await session.readLine(paintStrokes(strokes, width, height), base);
    console.log(`[figure] line "12+7=": ${line!.characters.map((c) => c.label).join(' ')} → ${line!.reading.text}`);
    expect(line!.characters.map((c) => c.label)).toEqual(['1', '2', '+', '7', '=']);
    expect(line!.reading.text).toBe('12 + 7 = 19');
    session.dispose();
  }, 300_000);
});
