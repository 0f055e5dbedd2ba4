/** The model spec as Keras Python code that builds the same network, and as JSON. */
import type { Activation, LayerSpec, ModelSpec } from './spec';
import type { OptimizerSettings } from './compile';
import { DEFAULT_MOMENTUM } from './compile';
import { IMAGE_SIZE } from '../data/mnist';

/** The spec as pretty JSON, the same format the URL carries. */
export function specToJson(spec: ModelSpec): string {
  return `${JSON.stringify(spec, null, 2)}\n`;
}

const py = (s: string) => JSON.stringify(s);

function activationArg(a: Activation | undefined): string {
  return a && a !== 'linear' ? `, activation=${py(a)}` : '';
}

/** One `layers.X(...)` line; the initialisers match what buildModel gives tfjs. */
function kerasLayer(layer: LayerSpec): string {
  switch (layer.type) {
    case 'conv2d':
      return `layers.Conv2D(${layer.filters}, ${layer.kernelSize}, strides=${layer.strides}, padding=${py(layer.padding)}${activationArg(layer.activation)}, kernel_initializer="he_normal")`;
    case 'activation':
      return `layers.Activation(${py(layer.activation)})`;
    case 'maxPool2d':
    case 'avgPool2d': {
      const name = layer.type === 'maxPool2d' ? 'MaxPooling2D' : 'AveragePooling2D';
      return `layers.${name}(pool_size=${layer.poolSize}, strides=${layer.strides ?? layer.poolSize}, padding=${py(layer.padding ?? 'valid')})`;
    }
    case 'batchNorm':
      return 'layers.BatchNormalization()';
    case 'dropout':
      return `layers.Dropout(${layer.rate})`;
    case 'flatten':
      return 'layers.Flatten()';
    case 'dense': {
      const init = layer.activation === 'softmax' ? '' : ', kernel_initializer="he_normal"';
      return `layers.Dense(${layer.units}${activationArg(layer.activation)}${init})`;
    }
  }
}

function kerasOptimizer(settings: OptimizerSettings): string {
  const lr = settings.learningRate;
  switch (settings.optimizer) {
    case 'adam':
      return `keras.optimizers.Adam(learning_rate=${lr})`;
    case 'sgd':
      return `keras.optimizers.SGD(learning_rate=${lr}, momentum=${settings.momentum ?? DEFAULT_MOMENTUM})`;
    case 'rmsprop':
      return `keras.optimizers.RMSprop(learning_rate=${lr})`;
  }
}

/** Python (Keras 3, or tf.keras with `from tensorflow import keras`) that builds and compiles the same network. */
export function specToKeras(spec: ModelSpec, optimizer: OptimizerSettings = { optimizer: 'adam', learningRate: 0.001 }): string {
  const name = spec.name.replace(/[^\w]/g, '_') || 'model';
  const lines = [
    `# ${spec.name.replace(/[\r\n\u2028\u2029]/g, ' ')}: built in Digit Lab. Input: ${IMAGE_SIZE}×${IMAGE_SIZE} grey images scaled to [0, 1]; output: 10 class probabilities.`,
    'import keras',
    'from keras import layers',
    '',
    'model = keras.Sequential(',
    '    [',
    `        keras.Input(shape=(${IMAGE_SIZE}, ${IMAGE_SIZE}, 1)),`,
    ...spec.layers.map((l) => `        ${kerasLayer(l)},`),
    '    ],',
    `    name=${py(name)},`,
    ')',
    'model.compile(',
    `    optimizer=${kerasOptimizer(optimizer)},`,
    '    loss="categorical_crossentropy",',
    '    metrics=["accuracy"],',
    ')',
    'model.summary()',
    '',
  ];
  return lines.join('\n');
}
