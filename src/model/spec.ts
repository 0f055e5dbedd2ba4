/** A versioned, serialisable description of a CNN, from which a tf.LayersModel is built. */

export const MODEL_SPEC_VERSION = 1;

export type Activation = 'relu' | 'elu' | 'tanh' | 'sigmoid' | 'selu' | 'softmax' | 'linear';

export type LayerSpec =
  | { type: 'conv2d'; filters: number; kernelSize: number; strides: number; padding: 'valid' | 'same'; activation?: Activation }
  | { type: 'activation'; activation: Activation }
  | { type: 'maxPool2d' | 'avgPool2d'; poolSize: number; strides?: number; padding?: 'valid' | 'same' }
  | { type: 'batchNorm' }
  | { type: 'dropout'; rate: number }
  | { type: 'flatten' }
  | { type: 'dense'; units: number; activation?: Activation };

export type OptimizerName = 'adam' | 'sgd' | 'rmsprop';

export interface ModelSpec {
  version: typeof MODEL_SPEC_VERSION;
  name: string;
  layers: LayerSpec[];
}

/** The classic Keras MNIST CNN. */
export const CLASSIC_SPEC: ModelSpec = {
  version: MODEL_SPEC_VERSION,
  name: 'classic',
  layers: [
    { type: 'conv2d', filters: 32, kernelSize: 3, strides: 1, padding: 'same' },
    { type: 'batchNorm' },
    { type: 'activation', activation: 'relu' },
    { type: 'conv2d', filters: 32, kernelSize: 3, strides: 1, padding: 'same' },
    { type: 'batchNorm' },
    { type: 'activation', activation: 'relu' },
    { type: 'maxPool2d', poolSize: 2 },
    { type: 'dropout', rate: 0.25 },
    { type: 'conv2d', filters: 64, kernelSize: 3, strides: 1, padding: 'same' },
    { type: 'batchNorm' },
    { type: 'activation', activation: 'relu' },
    { type: 'conv2d', filters: 64, kernelSize: 3, strides: 1, padding: 'same' },
    { type: 'batchNorm' },
    { type: 'activation', activation: 'relu' },
    { type: 'maxPool2d', poolSize: 2 },
    { type: 'dropout', rate: 0.25 },
    { type: 'flatten' },
    { type: 'dense', units: 256 },
    { type: 'batchNorm' },
    { type: 'activation', activation: 'relu' },
    { type: 'dropout', rate: 0.5 },
    { type: 'dense', units: 10, activation: 'softmax' },
  ],
};

/** Trains in minutes without a GPU. */
export const SMALL_SPEC: ModelSpec = {
  version: MODEL_SPEC_VERSION,
  name: 'small',
  layers: [
    { type: 'conv2d', filters: 8, kernelSize: 5, strides: 1, padding: 'valid', activation: 'relu' },
    { type: 'maxPool2d', poolSize: 2 },
    { type: 'conv2d', filters: 16, kernelSize: 5, strides: 1, padding: 'valid', activation: 'relu' },
    { type: 'maxPool2d', poolSize: 2 },
    { type: 'flatten' },
    { type: 'dense', units: 10, activation: 'softmax' },
  ],
};

export const DENSE_ONLY_SPEC: ModelSpec = {
  version: MODEL_SPEC_VERSION,
  name: 'dense only',
  layers: [
    { type: 'flatten' },
    { type: 'dense', units: 128, activation: 'relu' },
    { type: 'dense', units: 10, activation: 'softmax' },
  ],
};

export type LayerType = LayerSpec['type'];

export const ACTIVATIONS: readonly Activation[] = ['relu', 'elu', 'selu', 'tanh', 'sigmoid', 'softmax', 'linear'];

export const LAYER_TYPES: readonly LayerType[] = [
  'conv2d',
  'activation',
  'maxPool2d',
  'avgPool2d',
  'batchNorm',
  'dropout',
  'flatten',
  'dense',
];

/** What each layer type is called in the page. */
export const LAYER_NAMES: Record<LayerType, string> = {
  conv2d: 'Conv 2D',
  activation: 'Activation',
  maxPool2d: 'Max pool',
  avgPool2d: 'Average pool',
  batchNorm: 'Batch norm',
  dropout: 'Dropout',
  flatten: 'Flatten',
  dense: 'Dense',
};

/** The layer a learner gets when adding one of this type: the common choice in MNIST CNNs. */
export function defaultLayer(type: LayerType): LayerSpec {
  switch (type) {
    case 'conv2d':
      return { type, filters: 32, kernelSize: 3, strides: 1, padding: 'same', activation: 'relu' };
    case 'activation':
      return { type, activation: 'relu' };
    case 'maxPool2d':
    case 'avgPool2d':
      return { type, poolSize: 2 };
    case 'batchNorm':
      return { type };
    case 'dropout':
      return { type, rate: 0.25 };
    case 'flatten':
      return { type };
    case 'dense':
      return { type, units: 128, activation: 'relu' };
  }
}

export type PresetId = 'classic' | 'small' | 'denseOnly';

export const PRESETS: Record<PresetId, { label: string; spec: ModelSpec; summary: string }> = {
  classic: { label: 'Classic', spec: CLASSIC_SPEC, summary: 'The Keras MNIST CNN: the most accurate, and slow to train without a GPU.' },
  small: { label: 'Small', spec: SMALL_SPEC, summary: 'Two small convolutions: trains in minutes on any machine.' },
  denseOnly: { label: 'Dense only', spec: DENSE_ONLY_SPEC, summary: 'No convolutions at all: the fastest to train, and it cannot see shapes.' },
};

/** Short description of one layer and its settings, e.g. "Conv 2D 32 · 3×3 same". */
export function describeLayer(layer: LayerSpec): string {
  const name = LAYER_NAMES[layer.type];
  const act = (a: Activation | undefined) => (a && a !== 'linear' ? ` · ${a}` : '');
  switch (layer.type) {
    case 'conv2d':
      return `${name} ${layer.filters} · ${layer.kernelSize}×${layer.kernelSize}${layer.strides !== 1 ? ` /${layer.strides}` : ''} ${layer.padding}${act(layer.activation)}`;
    case 'activation':
      return `${name} ${layer.activation}`;
    case 'maxPool2d':
    case 'avgPool2d':
      return `${name} ${layer.poolSize}×${layer.poolSize}${layer.strides !== undefined && layer.strides !== layer.poolSize ? ` /${layer.strides}` : ''}${layer.padding === 'same' ? ' same' : ''}`;
    case 'dropout':
      return `${name} ${layer.rate}`;
    case 'dense':
      return `${name} ${layer.units}${act(layer.activation)}`;
    default:
      return name;
  }
}
