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
