import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { DEFAULT_AUGMENT, type AugmentSettings } from '../../../src/augment/settings';
import { exportRunNotebook, exportRunScript, runExportFileNames, type RunExportInput } from '../../../src/export/keras-run';
import { specToKeras } from '../../../src/export/keras-model';
import { ExportError } from '../../../src/export/python';
import { CLASSIC_SPEC, DENSE_ONLY_SPEC, SMALL_SPEC, type ModelSpec } from '../../../src/model/spec';
import { DEFAULT_TRAIN, type TrainSettings } from '../../../src/train/settings';
import { pyCodeShape, pyCompile } from './python-tools';

/** Every layer kind and option the spec supports, edited away from the presets. */
const EDITED: ModelSpec = {
  version: 1,
  name: 'my edited net',
  layers: [
    { type: 'conv2d', filters: 12, kernelSize: 3, strides: 2, padding: 'same', activation: 'elu' },
    { type: 'batchNorm' },
    { type: 'activation', activation: 'tanh' },
    { type: 'avgPool2d', poolSize: 2, strides: 1, padding: 'same' },
    { type: 'conv2d', filters: 6, kernelSize: 5, strides: 1, padding: 'valid' },
    { type: 'maxPool2d', poolSize: 3, strides: 2 },
    { type: 'dropout', rate: 0.3 },
    { type: 'flatten' },
    { type: 'dense', units: 20, activation: 'selu' },
    { type: 'batchNorm' },
    { type: 'dense', units: 10, activation: 'sigmoid' },
    { type: 'activation', activation: 'softmax' },
  ],
};

/** Code, a line break, an encoding declaration, HTML and a Markdown link, all in one model name. */
const HOSTILE = '"); import os; os.system("rm -rf ~") #\ncoding: utf-7\r\n+AAo-import os\u2028</script><img src=x onerror=alert(1)> ``` [x](javascript:alert(1))';

const SMALL_RUN: RunExportInput = {
  spec: SMALL_SPEC,
  settings: { ...DEFAULT_TRAIN, trainSize: 2000, epochs: 1 },
  augmentation: DEFAULT_AUGMENT,
  testAccuracy: 0.9123,
  backend: 'WebAssembly',
  label: 'run 3',
};

const RUNS: [string, RunExportInput][] = [
  ['classic, augmented, SGD', { ...SMALL_RUN, spec: CLASSIC_SPEC, settings: { ...SMALL_RUN.settings, optimizer: 'sgd', learningRate: 0.01 } }],
  ['small, trained in the lab', SMALL_RUN],
  ['dense only, no augmentation, no validation', { ...SMALL_RUN, spec: DENSE_ONLY_SPEC, settings: { ...SMALL_RUN.settings, augment: false, validationSplit: 0 }, testAccuracy: null }],
  ['an edited model, RMSprop, every range zero', { ...SMALL_RUN, spec: EDITED, settings: { ...SMALL_RUN.settings, optimizer: 'rmsprop', learningRate: 1e-4 }, augmentation: { ...DEFAULT_AUGMENT, rotation: 0, widthShift: 0, heightShift: 0, shear: 0, zoom: 0 } }],
];

const require = createRequire(import.meta.url);
const ajv = new Ajv({ schemaId: 'auto', allErrors: true });
ajv.addMetaSchema(require('ajv/lib/refs/json-schema-draft-04.json'));
const validateNotebook = ajv.compile(JSON.parse(readFileSync(new URL('../../fixtures/nbformat/nbformat.v4.5.schema.json', import.meta.url), 'utf8')));

interface Notebook {
  cells: { cell_type: string; source: string[] }[];
}
const codeOf = (notebook: Notebook) =>
  notebook.cells
    .filter((c) => c.cell_type === 'code')
    .map((c) => c.source.join(''))
    .join('\n\n');
const markdownOf = (notebook: Notebook) =>
  notebook.cells
    .filter((c) => c.cell_type === 'markdown')
    .map((c) => c.source.join(''))
    .join('\n\n');

describe('exportRunNotebook', () => {
  it.each(RUNS)('is a valid nbformat 4 notebook whose code compiles: %s', (_, run) => {
    const notebook = JSON.parse(exportRunNotebook(run)) as Notebook;
    expect(validateNotebook(notebook), ajv.errorsText(validateNotebook.errors)).toBe(true);
    expect(notebook.cells.filter((c) => c.cell_type === 'markdown').length).toBeGreaterThanOrEqual(7);
    pyCompile(codeOf(notebook));
  });

  it('catches a notebook the schema refuses (the validator is not a rubber stamp)', () => {
    const notebook = JSON.parse(exportRunNotebook(SMALL_RUN)) as { cells: Record<string, unknown>[] };
    delete notebook.cells[0].id;
    expect(validateNotebook(notebook)).toBe(false);
  });

  it('explains each step, says that the images differ from the lab’s, and names what the lab measured', () => {
    const text = markdownOf(JSON.parse(exportRunNotebook(SMALL_RUN)) as Notebook);
    for (const heading of ['## The data', '## Augmentation', '## The model', '## Training', '## The test', '## The curves', "## The lab's own weights"]) {
      expect(text).toContain(heading);
    }
    expect(text).toMatch(/not the exact images/);
    expect(text).toContain('| test accuracy in the lab | 91.23% on 10,000 test digits (trained on WebAssembly) |');
    expect(text).toContain('| training images | 2,000: 1,800 to learn from, 200 held back for validation |');
  });
});

describe('exportRunScript', () => {
  it.each(RUNS)('passes python3 -m py_compile: %s', (_, run) => {
    pyCompile(exportRunScript(run));
  });

  it('reproduces the settings: data, seed, split, augmentation, model, optimizer, loss, batch, epochs, weights file', () => {
    const script = exportRunScript(SMALL_RUN);
    expect(script).toContain('keras.datasets.mnist.load_data()');
    expect(script).toContain('x_all = (x_all.astype("float32") / 255.0)[..., np.newaxis]');
    expect(script).toContain('SEED = 42\n');
    expect(script).toContain('keras.utils.set_random_seed(SEED)');
    expect(script).toContain('TRAIN_IMAGES = 2000\n');
    expect(script).toContain('VALIDATION_IMAGES = 200  # 10% of them');
    expect(script).toMatch(/AUGMENT = dict\(\n {4}rotation_range=10,\n {4}width_shift_range=0\.1,\n {4}height_shift_range=0\.1,\n {4}shear_range=10,\n {4}zoom_range=0\.1,\n\)/);
    expect(script).toContain('AugmentedBatches(x_train, y_train, BATCH_SIZE, SEED)');
    expect(script).toContain('layers.Conv2D(8, 5, strides=1, padding="valid", activation="relu", kernel_initializer="he_normal"),');
    expect(script).toContain('optimizer=keras.optimizers.Adam(learning_rate=0.003),');
    expect(script).toContain('loss="sparse_categorical_crossentropy"');
    expect(script).not.toMatch(/loss="categorical_crossentropy"/);
    expect(script).toContain('BATCH_SIZE = 32\n');
    expect(script).toContain('EPOCHS = 1\n');
    expect(script).toContain('validation_data=(x_val, y_val)');
    expect(script).toContain('model.evaluate(x_test, y_test');
    expect(script).toContain('RUN_NAME = "digit-lab-small-run-3-seed42"');
    expect(script).toContain('WEIGHTS_FILE = RUN_NAME + ".weights.h5"');
    expect(script).toContain('LAB_TEST_ACCURACY = 0.9123');
    expect(script).toContain('lab_model.load_weights(WEIGHTS_FILE)');
    // The script saves its figures instead of opening windows.
    expect(script).toContain('figure.savefig(RUN_NAME + "-curves.png"');
    expect(script).not.toContain('plt.show()');
  });

  it('writes every layer kind of the spec', () => {
    const script = exportRunScript({ ...SMALL_RUN, spec: EDITED });
    for (const line of [
      'layers.Conv2D(12, 3, strides=2, padding="same", activation="elu", kernel_initializer="he_normal"),',
      'layers.BatchNormalization(),',
      'layers.Activation("tanh"),',
      'layers.AveragePooling2D(pool_size=2, strides=1, padding="same"),',
      'layers.Conv2D(6, 5, strides=1, padding="valid", kernel_initializer="he_normal"),',
      'layers.MaxPooling2D(pool_size=3, strides=2, padding="valid"),',
      'layers.Dropout(0.3),',
      'layers.Flatten(),',
      'layers.Dense(20, activation="selu", kernel_initializer="he_normal"),',
      'layers.Dense(10, activation="sigmoid", kernel_initializer="he_normal"),',
      'layers.Activation("softmax"),',
    ]) {
      expect(script).toContain(line);
    }
  });

  it('trains on the digits as they are when augmentation is off or changes nothing', () => {
    const off = exportRunScript({ ...SMALL_RUN, settings: { ...SMALL_RUN.settings, augment: false } });
    const zero = exportRunScript(RUNS[3][1]);
    for (const script of [off, zero]) {
      expect(script).not.toContain('AugmentedBatches');
      expect(script).toContain('shuffle=True');
      expect(script).toContain('This run trained without augmentation');
    }
  });
});

describe('hostile names and settings', () => {
  it('a hostile model name, label or backend changes only strings and comments, never the code', () => {
    const hostile: RunExportInput = { ...SMALL_RUN, spec: { ...SMALL_SPEC, name: HOSTILE }, label: HOSTILE, backend: HOSTILE };
    const plain: RunExportInput = { ...SMALL_RUN, spec: { ...SMALL_SPEC, name: 'x' }, label: 'x', backend: 'x' };
    expect(pyCodeShape(exportRunScript(hostile))).toBe(pyCodeShape(exportRunScript(plain)));
    const notebook = JSON.parse(exportRunNotebook(hostile)) as Notebook;
    expect(pyCodeShape(codeOf(notebook))).toBe(pyCodeShape(codeOf(JSON.parse(exportRunNotebook(plain)) as Notebook)));
    // In Markdown the name is text: no tag, no link, no line break of its own.
    const markdown = markdownOf(notebook);
    expect(markdown).not.toMatch(/<script|<img|\]\(javascript/);
    expect(markdown.split('\n')[0]).toMatch(/^# .*: a Digit Lab run in Keras$/);
  });

  it('file names keep only lower-case letters, digits and dashes', () => {
    const names = runExportFileNames({ spec: { ...SMALL_SPEC, name: '../../etc/passwd "x"' }, settings: DEFAULT_TRAIN, label: 'C:\\run <3>' });
    expect(names).toEqual({
      notebook: 'digit-lab-etc-passwd-x-c-run-3-seed42.ipynb',
      script: 'digit-lab-etc-passwd-x-c-run-3-seed42.py',
      weights: 'digit-lab-etc-passwd-x-c-run-3-seed42.weights.h5',
    });
  });

  const bad = (settings: Partial<Record<keyof TrainSettings, unknown>>) => ({ ...SMALL_RUN, settings: { ...SMALL_RUN.settings, ...settings } as TrainSettings });
  const badAugment = (a: Partial<Record<keyof AugmentSettings, unknown>>) => ({ ...SMALL_RUN, augmentation: { ...DEFAULT_AUGMENT, ...a } as AugmentSettings });
  const badLayer = (layer: unknown) => ({ ...SMALL_RUN, spec: { ...SMALL_SPEC, layers: [layer, ...SMALL_SPEC.layers.slice(1)] } as ModelSpec });
  const INJECTION = '1)\nimport os\nos.system("id")  #';

  it.each<[string, RunExportInput]>([
    ['a seed that is code', bad({ seed: INJECTION })],
    ['an optimizer that is code', bad({ optimizer: `adam")\nimport os  #` })],
    ['a learning rate of NaN', bad({ learningRate: Number.NaN })],
    ['an infinite number of epochs', bad({ epochs: Infinity })],
    ['a batch size that is a string', bad({ batchSize: '32; import os' })],
    ['a validation split that is code', bad({ validationSplit: INJECTION })],
    ['an augmentation range that is code', badAugment({ rotation: INJECTION })],
    ['an augmentation range out of range', badAugment({ zoom: 5 })],
    ['a padding that is code', badLayer({ type: 'conv2d', filters: 8, kernelSize: 5, strides: 1, padding: 'valid")\nimport os  #' })],
    ['an activation that is code', badLayer({ type: 'conv2d', filters: 8, kernelSize: 5, strides: 1, padding: 'valid', activation: 'relu")\nimport os  #' })],
    ['filters that are code', badLayer({ type: 'conv2d', filters: INJECTION, kernelSize: 5, strides: 1, padding: 'valid' })],
    ['an unknown layer', badLayer({ type: 'lambda', code: 'import os' })],
  ])('refuses %s with a message, writing nothing', (_, run) => {
    expect(() => exportRunScript(run)).toThrow(ExportError);
    expect(() => exportRunNotebook(run)).toThrow(ExportError);
  });

  it('says which setting is wrong', () => {
    expect(() => exportRunScript(bad({ seed: -1 }))).toThrow(/Seed must be from 0/);
    expect(() => exportRunScript(badAugment({ shear: 90 }))).toThrow(/shear_range must be a number from 0 to 45/);
  });
});

describe('specToKeras (the Model lesson’s export)', () => {
  it('compiles for integer labels and passes py_compile for every preset and an edited model', () => {
    for (const spec of [CLASSIC_SPEC, SMALL_SPEC, DENSE_ONLY_SPEC, EDITED]) {
      const code = specToKeras(spec);
      expect(code).toContain('loss="sparse_categorical_crossentropy"');
      pyCompile(code);
    }
  });

  it('a hostile name stays in the comment and the checked model name', () => {
    const plain = pyCodeShape(specToKeras({ ...SMALL_SPEC, name: 'x' }));
    const code = specToKeras({ ...SMALL_SPEC, name: HOSTILE });
    expect(pyCodeShape(code)).toBe(plain);
    expect(code).toMatch(/^ {4}name="[A-Za-z0-9_]+",$/m);
  });
});
