// The starter set (+ − × ÷ =, drawn by a program): what it holds, that it says where it comes from, and that a head
// taught on it reads the tests' own drawings of the same symbols (other recipes, test/unit/symbols/strokes.ts).
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/backend/backend';
import { nodeWasmPaths } from '../../../src/backend/node-wasm';
import { loadPreparedMnist } from '../../../src/data/node';
import { preprocess } from '../../../src/draw/preprocess';
import type { LabModel } from '../../../src/model/lab-model';
import { loadShippedModel } from '../../../src/model/shipped';
import { SymbolSession } from '../../../src/symbols/session';
import { STARTER_ORIGIN, STARTER_PER_CLASS, STARTER_SYMBOLS, starterSet } from '../../../src/symbols/starter';
import { createInProcessEngine, type TrainingEngine } from '../../../src/train/engine';
import { SHIPPED_BASE, shippedModelFetch } from '../inspect/shipped-fixture';
import { otherStyleDrawing, paintDrawing, type Shape } from './strokes';

describe('the starter set', () => {
  it('holds 12 prepared drawings of each of + − × ÷ =, the same every time, each its own', () => {
    const set = starterSet();
    expect(set.classes.map((c) => c.name)).toEqual(['+', '−', '×', '÷', '=']);
    for (const c of set.classes) {
      expect(c.examples).toHaveLength(STARTER_PER_CLASS);
      for (const e of c.examples) expect(e.reduce((n, v) => n + (v > 127 ? 1 : 0), 0)).toBeGreaterThan(20);
      expect(new Set(c.examples.map((e) => e.join(','))).size).toBe(STARTER_PER_CLASS);
    }
    expect(starterSet()).toEqual(set);
  });

  it('says it is drawn by a program, not by people', () => {
    expect(STARTER_ORIGIN).toMatch(/drawn by a program/);
    expect(STARTER_ORIGIN).toMatch(/not by people/);
  });
});

describe('teaching the starter set', () => {
  let base: LabModel;
  let engine: TrainingEngine;

  beforeAll(async () => {
    await initBackend('wasm', { wasmPaths: nodeWasmPaths() });
    base = await loadShippedModel(SHIPPED_BASE, { fetch: shippedModelFetch });
    engine = createInProcessEngine({ wasmPaths: nodeWasmPaths() });
    await engine.start('wasm');
    await engine.ensureDataset(await loadPreparedMnist());
  });

  afterAll(async () => {
    base.dispose();
    await tf.setBackend('cpu');
  });

  it('replaces the classes (Put back brings them back), and the taught head reads the tests’ own drawings of the five symbols', async () => {
    const session = new SymbolSession();
    session.addClass('A');
    const message = await session.loadStarter();
    expect(message).toBe(`Loaded the starter set: + − × ÷ =, 12 drawings each, ${STARTER_ORIGIN}. Teach it, or add drawings of your own.`);
    expect(session.canPutBack).toBe(true);
    await session.putBack();
    expect(session.classSet.classes.map((c) => c.name)).toEqual(['A']);
    await session.loadStarter();
    expect(() => session.addClass('+')).toThrow(/already a class/);

    const trainer = { busy: false, trainHead: engine.trainHead.bind(engine) };
    expect(await session.teach(base, trainer, undefined, false)).toBe('taught');
    const shapes: Shape[] = [...STARTER_SYMBOLS];
    const results: string[] = [];
    let right = 0;
    for (const shape of shapes) {
      const reads: string[] = [];
      for (let i = 0; i < 10; i++) reads.push((await session.read(preprocess(paintDrawing(otherStyleDrawing(shape, i))).centred.data, base))!.label);
      right += reads.filter((l) => l === shape).length;
      results.push(`${shape} ${reads.filter((l) => l === shape).length}/10`);
    }
    const h = session.taught!.report.heldOut!;
    console.log(`[figure] taught on the starter set (Node/WASM): held-out ${h.drawings.correct}/${h.drawings.count}; the tests' own drawings in other styles: ${results.join(', ')}`);
    expect(right).toBeGreaterThanOrEqual(40);
    session.dispose();
  }, 600_000);
});
