/**
 * A training run as a Keras 3 notebook and script that repeat it in Python: the same data, augmentation, model,
 * optimizer and settings, then the test, the confusion matrix, the curves, and a cell that loads the lab's own
 * trained weights. One list of cells makes both files.
 */
import { isIdentityAugment, AUGMENT_RANGE_KEYS, AUGMENT_LIMITS, isValidAugmentValue, type AugmentSettings } from '../augment/settings';
import { analyzeSpec } from '../model/analyze';
import type { ModelSpec } from '../model/spec';
import { OPTIMIZER_LABELS, validateTrainSettings, type TrainSettings } from '../train/settings';
import { checkedSpec, KERAS_LOSS, kerasModelName, kerasOptimizer, kerasSequential } from './keras-model';
import { toNotebookJson, toPercentScript, type ExportCell } from './notebook';
import { ExportError, markdownText, pyCommentText, pyNumber, pyString } from './python';
import { augmentationCells } from './keras-augment-cells';
import { augmentationSummary, code, count, md, percent, TEST_DIGITS, validationCount, type CheckedRun, type RunExportFileNames, type Target } from './keras-cells';
import { resultCells, weightsCells } from './keras-result-cells';

export type { RunExportFileNames };

/** What a run export is made from: the run's model, its settings, and (for a trained run) what the lab measured. */
export interface RunExportInput {
  spec: ModelSpec;
  settings: TrainSettings;
  /** The augmentation ranges; used when `settings.augment` is on. */
  augmentation: AugmentSettings;
  /** The lab's test accuracy for this run (0–1) on `testCount` test digits; omit or null for an untrained setup. */
  testAccuracy?: number | null;
  testCount?: number;
  /** The tfjs backend the lab trained on, named in the notebook. */
  backend?: string;
  /** Tells several runs' files apart, e.g. "run 3"; only letters and digits reach the file names. */
  label?: string;
}


const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');

/** File names for a run's exports, e.g. digit-lab-small-run-3-seed42.ipynb: only [a-z0-9-], whatever the names. */
export function runExportFileNames(input: Pick<RunExportInput, 'spec' | 'settings' | 'label'>): RunExportFileNames {
  const seed = Number.isInteger(input.settings.seed) ? `-seed${input.settings.seed}` : '';
  const parts = ['digit-lab', slug(String(input.spec.name)) || 'model', input.label ? slug(String(input.label)) : ''];
  const stem = `${parts.filter(Boolean).join('-')}${seed}`;
  return { notebook: `${stem}.ipynb`, script: `${stem}.py`, weights: `${stem}.weights.h5` };
}

function checkAugmentation(settings: TrainSettings, augmentation: AugmentSettings): AugmentSettings | null {
  if (!settings.augment) return null;
  if (typeof augmentation?.enabled !== 'boolean') throw new ExportError('The augmentation settings are missing or malformed.');
  for (const key of AUGMENT_RANGE_KEYS) {
    if (!isValidAugmentValue(key, augmentation[key])) {
      const { min, max, keras } = AUGMENT_LIMITS[key];
      throw new ExportError(`The augmentation's ${keras} must be a number from ${min} to ${max}.`);
    }
  }
  return isIdentityAugment(augmentation) ? null : augmentation;
}

function checkRun(input: RunExportInput): CheckedRun {
  const spec = checkedSpec(input.spec);
  const parsed = validateTrainSettings(input.settings);
  if (!parsed.ok) throw new ExportError(`These training settings cannot be exported: ${Object.values(parsed.errors)[0]}`);
  const { settings } = parsed;
  const accuracy = input.testAccuracy;
  const testCount = Number.isInteger(input.testCount) && input.testCount! > 0 && input.testCount! <= TEST_DIGITS ? input.testCount! : TEST_DIGITS;
  return {
    spec,
    settings,
    augmentation: checkAugmentation(settings, input.augmentation),
    testAccuracy: typeof accuracy === 'number' && accuracy >= 0 && accuracy <= 1 ? accuracy : null,
    testCount,
    backend: typeof input.backend === 'string' && input.backend.trim() ? input.backend.slice(0, 40) : null,
    files: runExportFileNames({ spec, settings, label: typeof input.label === 'string' ? input.label : undefined }),
  };
}

function introCells(run: CheckedRun, target: Target): ExportCell[] {
  const { spec, settings } = run;
  const analysis = analyzeSpec(spec);
  const validation = validationCount(settings);
  const optimizer = `${OPTIMIZER_LABELS[settings.optimizer]}, learning rate ${settings.learningRate}`;
  const measured =
    run.testAccuracy === null
      ? 'not trained in the lab yet'
      : `${percent(run.testAccuracy)} on ${count(run.testCount)} test digits${run.backend ? ` (trained on ${markdownText(run.backend)})` : ''}`;
  return [
    md(
      `# ${markdownText(spec.name)}: a Digit Lab run in Keras`,
      '',
      `This ${target} repeats one training run from Digit Lab in Python with Keras 3: the same MNIST digits, the same`,
      'augmentation, the same model, optimizer and settings. Then it measures the network on the 10,000 test digits,',
      'shows which digits it confuses and how the loss fell, and loads the weights the lab trained to check that they',
      target === 'notebook' ? 'score the same here. Run the cells from top to bottom, in Jupyter or Colab.' : 'score the same here.',
      '',
      '| setting | value |',
      '| --- | --- |',
      `| model | ${markdownText(spec.name)}: ${spec.layers.length} layers, ${count(analysis.totalParams)} parameters |`,
      `| training images | ${count(settings.trainSize)}: ${count(settings.trainSize - validation)} to learn from, ${count(validation)} held back for validation |`,
      `| batch size, epochs | ${settings.batchSize}, ${settings.epochs} |`,
      `| optimizer | ${optimizer} |`,
      `| augmentation | ${augmentationSummary(run.augmentation)} |`,
      `| seed | ${settings.seed} |`,
      `| test accuracy in the lab | ${measured} |`,
    ),
    code(
      '# Keras 3 runs on JAX, TensorFlow or PyTorch: set the KERAS_BACKEND environment variable before this cell to choose.',
      'import os',
      '',
      'import keras',
      'import matplotlib.pyplot as plt',
      'import numpy as np',
      'from keras import layers',
      '',
      `RUN_NAME = ${pyString(run.files.weights.replace(/\.weights\.h5$/, ''))}  # the start of every file this run reads or writes`,
      `SEED = ${pyNumber(settings.seed, 'The seed')}`,
      'keras.utils.set_random_seed(SEED)  # seeds Python, NumPy and the backend: the same seed gives the same run',
      'print("Keras", keras.__version__, "on", keras.backend.backend())',
    ),
  ];
}

function dataCells(run: CheckedRun, target: Target): ExportCell[] {
  const { settings } = run;
  const validation = validationCount(settings);
  const share = `${Number((settings.validationSplit * 100).toFixed(2))}%`;
  return [
    md(
      '## The data',
      '',
      'MNIST: 60,000 training and 10,000 test digits, each 28 × 28 grey levels from 0 (background) to 255 (ink).',
      'Like the lab, the pixels are scaled to [0, 1] and get one channel, so each image is a 28×28×1 tensor. The labels',
      'stay the integers 0–9.',
      '',
      `The lab picks its ${count(settings.trainSize)} training images with a seeded shuffle and holds back the first`,
      `${count(validation)} of them for validation. This ${target} does the same with NumPy's generator and the same seed:`,
      "the counts and the split match, but not the exact images, because NumPy's random numbers are not the lab's. So",
      'expect the accuracy to differ a little, more for short runs on few images.',
    ),
    code(
      `TRAIN_IMAGES = ${pyNumber(settings.trainSize, 'The number of training images')}`,
      `VALIDATION_IMAGES = ${pyNumber(validation, 'The number of validation images')}  # ${share} of them, held back`,
      '',
      '(x_all, y_all), (x_test, y_test) = keras.datasets.mnist.load_data()',
      'x_all = (x_all.astype("float32") / 255.0)[..., np.newaxis]  # [60000, 28, 28, 1] in [0, 1]',
      'x_test = (x_test.astype("float32") / 255.0)[..., np.newaxis]',
      '',
      'chosen = np.random.default_rng(SEED).permutation(len(x_all))[:TRAIN_IMAGES]',
      'x_val, y_val = x_all[chosen[:VALIDATION_IMAGES]], y_all[chosen[:VALIDATION_IMAGES]]',
      'x_train, y_train = x_all[chosen[VALIDATION_IMAGES:]], y_all[chosen[VALIDATION_IMAGES:]]',
      'print(f"{len(x_train):,} training, {len(x_val):,} validation and {len(x_test):,} test images")',
    ),
  ];
}

function modelCells(run: CheckedRun): ExportCell[] {
  const { spec, settings } = run;
  return [
    md(
      '## The model',
      '',
      `The layers of the model built in the lab, one line each, with the same weight initialisers. \`build_model()\``,
      'makes a fresh, untrained copy; the last cell uses it again for the weights trained in the lab. The labels are',
      `the digits 0–9 as integers, so the loss is \`${KERAS_LOSS}\`: the same cross-entropy the lab`,
      `computes from one-hot labels. The optimizer is the lab's: ${OPTIMIZER_LABELS[settings.optimizer]} with learning rate ${settings.learningRate}.`,
    ),
    code(
      `# ${pyCommentText(spec.name)}, as built in Digit Lab`,
      'def build_model():',
      `    return ${kerasSequential(spec, 4).join('\n').trimStart()}`,
      '',
      '',
      'model = build_model()',
      'model.compile(',
      `    optimizer=${kerasOptimizer({ optimizer: settings.optimizer, learningRate: settings.learningRate })},`,
      `    loss=${pyString(KERAS_LOSS)},`,
      '    metrics=["accuracy"],',
      ')',
      'model.summary()',
    ),
  ];
}

function trainingCells(run: CheckedRun): ExportCell[] {
  const { settings } = run;
  const hasValidation = validationCount(settings) > 0;
  const data = run.augmentation
    ? ['    AugmentedBatches(x_train, y_train, BATCH_SIZE, SEED),']
    : ['    x_train,', '    y_train,', '    batch_size=BATCH_SIZE,', '    shuffle=True,  # a new order every epoch'];
  return [
    md(
      '## Training',
      '',
      `${settings.epochs} epoch${settings.epochs === 1 ? '' : 's'} in batches of ${settings.batchSize}. After every batch the optimizer nudges each weight to make`,
      'the loss a little smaller; after every epoch Keras measures the validation images the network does not learn',
      'from. `BatchLog` keeps the loss and accuracy after every batch for the curves below.',
    ),
    code(
      `EPOCHS = ${pyNumber(settings.epochs, 'Epochs')}`,
      `BATCH_SIZE = ${pyNumber(settings.batchSize, 'The batch size')}`,
      '',
      '',
      'class BatchLog(keras.callbacks.Callback):',
      '    """Loss and accuracy after every batch (Keras reports their mean since the epoch began)."""',
      '',
      '    def on_train_begin(self, logs=None):',
      '        self.loss, self.accuracy = [], []',
      '',
      '    def on_train_batch_end(self, batch, logs=None):',
      '        self.loss.append(float(logs["loss"]))',
      '        self.accuracy.append(float(logs["accuracy"]))',
      '',
      '',
      'batch_log = BatchLog()',
      'history = model.fit(',
      ...data,
      '    epochs=EPOCHS,',
      ...(hasValidation ? ['    validation_data=(x_val, y_val),'] : []),
      '    callbacks=[batch_log],',
      ')',
    ),
  ];
}

/** All cells of the export, in order; `target` only changes how figures are shown and the preview. */
function runCells(run: CheckedRun, target: Target): ExportCell[] {
  return [
    ...introCells(run, target),
    ...dataCells(run, target),
    ...augmentationCells(run, target),
    ...modelCells(run),
    ...trainingCells(run),
    ...resultCells(run, target),
    ...weightsCells(target),
  ];
}

/** Why this run cannot be exported (the first bad setting, in a sentence), or null when it can. */
export function runExportProblem(input: RunExportInput): string | null {
  try {
    checkRun(input);
    return null;
  } catch (error) {
    if (error instanceof ExportError) return error.message;
    throw error;
  }
}

/** The run as a Jupyter notebook (nbformat 4.5 JSON). Throws ExportError for a setting that cannot be exported. */
export function exportRunNotebook(input: RunExportInput): string {
  return toNotebookJson(runCells(checkRun(input), 'notebook'));
}

/**
 * The run as a Python script (Keras 3) that trains, tests and saves its figures as PNG files next to it. It uses
 * the percent format, so editors that know it open it as a notebook. Throws ExportError like exportRunNotebook.
 */
export function exportRunScript(input: RunExportInput): string {
  const run = checkRun(input);
  const header = [
    '#!/usr/bin/env python3',
    '# -*- coding: utf-8 -*-',
    `# ${pyCommentText(run.spec.name)}: a Digit Lab run in Keras 3 (${kerasModelName(run.spec)}).`,
    '# Needs Python 3.10+ with: pip install keras jax matplotlib   (or TensorFlow or PyTorch as the Keras backend)',
    `# Run: python ${run.files.script}`,
  ];
  return toPercentScript(header, runCells(run, 'script'));
}
