/** The lab's model spec as Keras 3 Python: layers, optimizer, loss. Every value is checked before it is written. */
import { IMAGE_SIZE, NUM_CLASSES } from '../data/mnist';
import { validateSpec } from '../model/analyze';
import type { OptimizerSettings } from '../model/compile';
import { DEFAULT_MOMENTUM } from '../model/compile';
import { parseModelSpec } from '../model/parse';
import type { Activation, LayerSpec, ModelSpec, OptimizerName } from '../model/spec';
import { ACTIVATIONS } from '../model/spec';
import { ExportError, pyCommentText, pyIdentifier, pyInteger, pyNumber, pyString } from './python';

/** The loss for integer labels 0–9, as keras.datasets.mnist gives them (the lab's one-hot categorical cross-entropy is the same number). */
export const KERAS_LOSS = 'sparse_categorical_crossentropy';

/**
 * The spec re-read through the lab's strict parser (only known layers and fields survive) and checked to be
 * buildable: a spec from storage or a URL cannot smuggle anything into the code. Throws ExportError otherwise.
 */
export function checkedSpec(spec: ModelSpec): ModelSpec {
  const parsed = parseModelSpec(spec);
  if (!parsed) throw new ExportError('The model description is malformed, so it cannot be exported.');
  const problems = validateSpec(parsed);
  if (problems.length > 0) throw new ExportError(`This model cannot be exported: ${problems[0].message}`);
  return parsed;
}

function activationName(a: unknown): Activation {
  if (!(ACTIVATIONS as readonly unknown[]).includes(a)) throw new ExportError(`Unknown activation ${String(a)}.`);
  return a as Activation;
}

function activationArg(a: Activation | undefined): string {
  return a && a !== 'linear' ? `, activation=${pyString(activationName(a))}` : '';
}

function paddingArg(p: unknown): string {
  if (p !== 'valid' && p !== 'same') throw new ExportError(`Padding must be "valid" or "same".`);
  return pyString(p);
}

const size = (value: unknown, what: string) => pyInteger(value, what, 1, 4096);

/** One `layers.X(...)` call; the initialisers match what buildModel gives tfjs (he_normal, glorot for softmax). */
export function kerasLayer(layer: LayerSpec): string {
  switch (layer.type) {
    case 'conv2d':
      return `layers.Conv2D(${size(layer.filters, 'Filters')}, ${size(layer.kernelSize, 'Kernel size')}, strides=${size(layer.strides, 'Stride')}, padding=${paddingArg(layer.padding)}${activationArg(layer.activation)}, kernel_initializer="he_normal")`;
    case 'activation':
      return `layers.Activation(${pyString(activationName(layer.activation))})`;
    case 'maxPool2d':
    case 'avgPool2d': {
      const name = layer.type === 'maxPool2d' ? 'MaxPooling2D' : 'AveragePooling2D';
      return `layers.${name}(pool_size=${size(layer.poolSize, 'Pool size')}, strides=${size(layer.strides ?? layer.poolSize, 'Stride')}, padding=${paddingArg(layer.padding ?? 'valid')})`;
    }
    case 'batchNorm':
      // Keras' defaults are tfjs' (momentum 0.99, epsilon 0.001).
      return 'layers.BatchNormalization()';
    case 'dropout':
      if (!(typeof layer.rate === 'number' && layer.rate >= 0 && layer.rate < 1)) throw new ExportError('A dropout rate must be at least 0 and below 1.');
      return `layers.Dropout(${pyNumber(layer.rate, 'The dropout rate')})`;
    case 'flatten':
      return 'layers.Flatten()';
    case 'dense': {
      const init = layer.activation === 'softmax' ? '' : ', kernel_initializer="he_normal"';
      return `layers.Dense(${size(layer.units, 'Units')}${activationArg(layer.activation)}${init})`;
    }
    default:
      throw new ExportError(`Unknown layer type ${String((layer as { type: unknown }).type)}.`);
  }
}

const OPTIMIZER_CLASSES: Record<OptimizerName, string> = { adam: 'Adam', sgd: 'SGD', rmsprop: 'RMSprop' };

/** `keras.optimizers.X(...)` with the same hyperparameters as the lab's tfjs optimizer (tfjs' defaults are Keras'). */
export function kerasOptimizer(settings: OptimizerSettings): string {
  const lr = settings.learningRate;
  if (!(typeof lr === 'number' && lr > 0 && Number.isFinite(lr))) throw new ExportError(`The learning rate must be a positive number, not ${String(lr)}.`);
  const className = Object.hasOwn(OPTIMIZER_CLASSES, settings.optimizer) ? OPTIMIZER_CLASSES[settings.optimizer] : undefined;
  if (!className) throw new ExportError(`Unknown optimizer ${String(settings.optimizer)}.`);
  const momentum = settings.optimizer === 'sgd' ? `, momentum=${pyNumber(settings.momentum ?? DEFAULT_MOMENTUM, 'The momentum')}` : '';
  return `keras.optimizers.${className}(learning_rate=${pyNumber(lr, 'The learning rate')}${momentum})`;
}

/** The name Keras gives the model: letters, digits and underscores only. */
export const kerasModelName = (spec: ModelSpec): string => pyIdentifier(spec.name);

/**
 * The `keras.Sequential([...])` expression for a checked spec, indented by `indent` spaces, one layer per line.
 * The spec's own name appears only as a checked identifier and in a comment.
 */
export function kerasSequential(spec: ModelSpec, indent = 0): string[] {
  const pad = ' '.repeat(indent);
  return [
    `${pad}keras.Sequential(`,
    `${pad}    [`,
    `${pad}        keras.Input(shape=(${IMAGE_SIZE}, ${IMAGE_SIZE}, 1)),`,
    ...spec.layers.map((l) => `${pad}        ${kerasLayer(l)},`),
    `${pad}    ],`,
    `${pad}    name=${pyString(kerasModelName(spec))},`,
    `${pad})`,
  ];
}

/** The spec as pretty JSON, the same format the URL carries. */
export function specToJson(spec: ModelSpec): string {
  return `${JSON.stringify(spec, null, 2)}\n`;
}

/**
 * Python (Keras 3, or tf.keras with `from tensorflow import keras`) that builds and compiles the same network, for
 * integer labels like keras.datasets.mnist's. Throws ExportError for a spec that cannot be built.
 */
export function specToKeras(spec: ModelSpec, optimizer: OptimizerSettings = { optimizer: 'adam', learningRate: 0.001 }): string {
  const checked = checkedSpec(spec);
  const lines = [
    `# ${pyCommentText(checked.name)}: built in Digit Lab.`,
    `# Input: ${IMAGE_SIZE}×${IMAGE_SIZE} grey images scaled to [0, 1]; output: ${NUM_CLASSES} class probabilities.`,
    'import keras',
    'from keras import layers',
    '',
    `model = ${kerasSequential(checked).join('\n').trimStart()}`,
    'model.compile(',
    `    optimizer=${kerasOptimizer(optimizer)},`,
    `    loss=${pyString(KERAS_LOSS)},  # labels are the digits 0–9; use "categorical_crossentropy" for one-hot labels`,
    '    metrics=["accuracy"],',
    ')',
    'model.summary()',
    '',
  ];
  return lines.join('\n');
}
