/**
 * The network's layers as a learner reads them: a convolution with the batch normalisation, activation and dropout
 * that follow it is one block ("Convolution 2 · 32 filters 3×3", then "batch normalisation → ReLU"), named in
 * words instead of tfjs's internal names (conv2d_Conv2D11). Plain data in, plain data out.
 */
import { formatInteger, formatPercent } from '../format';

/** What the lab needs to know about one layer to name it. */
export interface LayerInfo {
  className: string;
  /** The activation the layer applies itself (Conv2D, Dense, Activation), or null. */
  activation: string | null;
  filters?: number;
  kernelSize?: number[];
  units?: number;
  poolSize?: number[];
  rate?: number;
  /** Numbers in the layer's output for one input. */
  outputSize?: number;
}

/** Layers that are folded into the block before them. */
const FOLDED = new Set(['BatchNormalization', 'Activation', 'Dropout']);

export type BlockKind = 'conv' | 'pool' | 'flatten' | 'dense' | 'output' | 'other';

export interface LayerBlock {
  kind: BlockKind;
  /** "Convolution 2 · 32 filters 3×3". */
  title: string;
  /** 1 for the first block of its kind (Convolution 1, Convolution 2, …). */
  ordinal: number;
  /** Positions of the block's layers in the chain, its main layer first. */
  layers: number[];
  /** The layer whose output the block shows: its last layer that acts when predicting (dropout does not). */
  output: number;
  /** The folded layers in words, in order: "batch normalisation", "ReLU", "dropout 25% (training only)". */
  steps: string[];
}

const ACTIVATIONS: Record<string, string> = { relu: 'ReLU', softmax: 'softmax', sigmoid: 'sigmoid', tanh: 'tanh', elu: 'ELU', selu: 'SELU', relu6: 'ReLU6' };

/** "ReLU", "softmax": an activation's usual name, or null for none. */
export function activationName(activation: string | null | undefined): string | null {
  if (!activation || activation === 'linear') return null;
  return ACTIVATIONS[activation] ?? activation;
}

const size = (s: number[] | undefined) => (s && s.length ? s.join('×') : '?');

/** One folded layer in words. */
export function stepName(info: LayerInfo): string {
  switch (info.className) {
    case 'BatchNormalization':
      return 'batch normalisation';
    case 'Activation':
      return activationName(info.activation) ?? 'no activation';
    case 'Dropout':
      return `dropout ${formatPercent(info.rate ?? 0, 0)} (training only)`;
    default:
      return info.className;
  }
}

function classify(info: LayerInfo, isLastWeighted: boolean): BlockKind {
  switch (info.className) {
    case 'Conv2D':
      return 'conv';
    case 'MaxPooling2D':
    case 'AveragePooling2D':
      return 'pool';
    case 'Flatten':
      return 'flatten';
    case 'Dense':
      return isLastWeighted ? 'output' : 'dense';
    default:
      return 'other';
  }
}

function blockTitle(kind: BlockKind, info: LayerInfo, ordinal: number, softmax: boolean): string {
  switch (kind) {
    case 'conv':
      return `Convolution ${ordinal} · ${info.filters ?? '?'} filters ${size(info.kernelSize)}`;
    case 'pool':
      return `${info.className === 'MaxPooling2D' ? 'Max' : 'Average'} pooling ${ordinal} · ${size(info.poolSize)}`;
    case 'flatten':
      return `Flatten · ${info.outputSize ? formatInteger(info.outputSize) : '?'} numbers in a row`;
    case 'dense':
      return `Dense ${ordinal} · ${info.units ?? '?'} units`;
    case 'output':
      return `Output · ${info.units ?? '?'} scores${softmax ? ', softmax: probabilities' : ''}`;
    default:
      return info.className;
  }
}

/** Groups a chain of layers into blocks: each main layer with the batch norm, activation and dropout after it. */
export function layerBlocks(infos: readonly LayerInfo[]): LayerBlock[] {
  let lastWeighted = -1;
  infos.forEach((info, i) => {
    if (info.className === 'Dense') lastWeighted = i;
  });
  const groups: number[][] = [];
  infos.forEach((info, i) => {
    if (FOLDED.has(info.className) && groups.length) groups[groups.length - 1].push(i);
    else groups.push([i]);
  });
  const counters = new Map<BlockKind, number>();
  return groups.map((layers) => {
    const main = infos[layers[0]];
    const kind = classify(main, layers[0] === lastWeighted);
    const ordinal = (counters.get(kind) ?? 0) + 1;
    counters.set(kind, ordinal);
    const folded = layers.slice(1).map((i) => infos[i]);
    const softmax = main.activation === 'softmax' || folded.some((f) => f.activation === 'softmax');
    const acting = layers.filter((i) => infos[i].className !== 'Dropout');
    const own = activationName(main.activation);
    const steps = [...(own && kind !== 'output' ? [own] : []), ...folded.map(stepName)];
    return { kind, title: blockTitle(kind, main, ordinal, softmax), ordinal, layers, output: acting[acting.length - 1] ?? layers[layers.length - 1], steps };
  });
}
