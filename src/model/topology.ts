/**
 * Reads a tfjs Layers topology (model.json's `modelTopology`, or a stored model's) as plain data, before tfjs builds
 * anything: every layer's weights with their shapes, and the parameter count. tfjs allocates a model's weights while
 * it builds it, before it notices that the files do not fit (a 200-byte model.json can ask for 3 GB): the lab checks
 * the topology against its limits and against the weight files first, so a refused model allocates nothing.
 * Plain TypeScript, no tfjs: the shape rules are tfjs-layers' (channels last, dilation 1 or more).
 */
import { convOutputLength, LIMITS } from './analyze';

/** A model file the lab cannot use; the message says why, with the numbers. */
export class TopologyError extends Error {
  override name = 'TopologyError';
}

export interface TopologyWeight {
  /** As tfjs names it in a weights manifest: "<layer name>/<weight>", e.g. "dense_Dense1/kernel". */
  name: string;
  shape: number[];
}

export interface TopologySummary {
  /** Layer class names in order (InputLayer included when the file has one). */
  layers: string[];
  weights: TopologyWeight[];
  params: number;
  inputShape: number[];
  outputShape: number[];
}

/** The layers the lab reads (what it builds itself, and the usual Keras MNIST layers). */
export const READABLE_LAYERS = [
  'InputLayer',
  'Conv2D',
  'MaxPooling2D',
  'AveragePooling2D',
  'GlobalAveragePooling2D',
  'GlobalMaxPooling2D',
  'Flatten',
  'Reshape',
  'Dense',
  'Dropout',
  'SpatialDropout2D',
  'BatchNormalization',
  'Activation',
  'ReLU',
  'LeakyReLU',
  'Softmax',
] as const;

/** The lab's limits on a model it reads: the same parameter cap as the model builder, and few enough layers. */
export const TOPOLOGY_LIMITS = { params: LIMITS.totalParams, layers: 200 } as const;

type Raw = Record<string, unknown>;

const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const fmt = (n: number) => n.toLocaleString('en-US');

function wholeOrPair(value: unknown, what: string, layer: string, fallback?: number): [number, number] {
  const v = value === undefined || value === null ? fallback : value;
  const pair = Array.isArray(v) ? v : [v, v];
  if (pair.length !== 2 || !pair.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 4096)) {
    throw new TopologyError(`Layer “${layer}” has an invalid ${what} (${JSON.stringify(value)}).`);
  }
  return pair as [number, number];
}

function positiveWhole(value: unknown, what: string, layer: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new TopologyError(`Layer “${layer}” has an invalid ${what} (${JSON.stringify(value)}).`);
  return value;
}

function batchShape(config: Raw): number[] | null {
  const raw = config.batch_input_shape ?? config.batch_shape ?? config.batchInputShape;
  if (raw === undefined || raw === null) return null;
  if (!Array.isArray(raw) || raw.length < 2 || raw.length > 5 || !raw.slice(1).every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 1 && d <= 1 << 20)) {
    throw new TopologyError(`The model's input shape ${JSON.stringify(raw)} is not a list of sizes.`);
  }
  return raw.slice(1) as number[];
}

function channelsLast(config: Raw, layer: string): void {
  if (config.data_format !== undefined && config.data_format !== null && config.data_format !== 'channels_last') {
    throw new TopologyError(`Layer “${layer}” uses data format “${String(config.data_format)}”; Digit Lab reads channels-last models only.`);
  }
}

function needs4d(shape: number[], layer: string, className: string): [number, number, number] {
  if (shape.length !== 3) throw new TopologyError(`Layer “${layer}” (${className}) needs images (height × width × channels) but gets shape [${shape.join(', ')}].`);
  return shape as [number, number, number];
}

/** One layer: its weights and output shape, from its input shape. */
function step(className: string, config: Raw, name: string, input: number[]): { weights: TopologyWeight[]; output: number[] } {
  const w = (suffix: string, shape: number[]) => ({ name: `${name}/${suffix}`, shape });
  switch (className) {
    case 'InputLayer':
    case 'Dropout':
    case 'SpatialDropout2D':
    case 'Activation':
    case 'ReLU':
    case 'LeakyReLU':
    case 'Softmax':
      return { weights: [], output: input };
    case 'Conv2D': {
      channelsLast(config, name);
      const [h, wd, c] = needs4d(input, name, className);
      const filters = positiveWhole(config.filters, 'number of filters', name);
      const [kh, kw] = wholeOrPair(config.kernel_size, 'kernel size', name);
      const [sh, sw] = wholeOrPair(config.strides, 'stride', name, 1);
      const [dh, dw] = wholeOrPair(config.dilation_rate, 'dilation', name, 1);
      const padding = config.padding === 'same' ? 'same' : 'valid';
      const oh = convOutputLength(h, (kh - 1) * dh + 1, padding, sh);
      const ow = convOutputLength(wd, (kw - 1) * dw + 1, padding, sw);
      if (oh < 1 || ow < 1) throw new TopologyError(`Layer “${name}” shrinks the image to nothing (${h}×${wd} with a ${kh}×${kw} kernel).`);
      const weights = [w('kernel', [kh, kw, c, filters])];
      if (config.use_bias !== false) weights.push(w('bias', [filters]));
      return { weights, output: [oh, ow, filters] };
    }
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      channelsLast(config, name);
      const [h, wd, c] = needs4d(input, name, className);
      const [ph, pw] = wholeOrPair(config.pool_size, 'pool size', name, 2);
      const [sh, sw] = config.strides === undefined || config.strides === null ? [ph, pw] : wholeOrPair(config.strides, 'stride', name);
      const padding = config.padding === 'same' ? 'same' : 'valid';
      const oh = convOutputLength(h, ph, padding, sh);
      const ow = convOutputLength(wd, pw, padding, sw);
      if (oh < 1 || ow < 1) throw new TopologyError(`Layer “${name}” shrinks the image to nothing (${h}×${wd} pooled ${ph}×${pw}).`);
      return { weights: [], output: [oh, ow, c] };
    }
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D': {
      channelsLast(config, name);
      return { weights: [], output: [needs4d(input, name, className)[2]] };
    }
    case 'Flatten':
      return { weights: [], output: [count(input)] };
    case 'Reshape': {
      const target = config.target_shape;
      if (!Array.isArray(target) || !target.every((d) => typeof d === 'number' && Number.isInteger(d) && (d >= 1 || d === -1))) {
        throw new TopologyError(`Layer “${name}” has an invalid target shape (${JSON.stringify(target)}).`);
      }
      const known = count((target as number[]).filter((d) => d !== -1));
      const shape = (target as number[]).map((d) => (d === -1 ? count(input) / known : d));
      if (count(shape) !== count(input) || !shape.every(Number.isInteger)) {
        throw new TopologyError(`Layer “${name}” cannot reshape [${input.join(', ')}] to [${(target as number[]).join(', ')}].`);
      }
      return { weights: [], output: shape };
    }
    case 'Dense': {
      const units = positiveWhole(config.units, 'number of units', name);
      const inputDim = input[input.length - 1];
      const weights = [w('kernel', [inputDim, units])];
      if (config.use_bias !== false) weights.push(w('bias', [units]));
      return { weights, output: [...input.slice(0, -1), units] };
    }
    case 'BatchNormalization': {
      const axis = config.axis ?? -1;
      const last = Array.isArray(axis) ? axis.length === 1 && (axis[0] === -1 || axis[0] === input.length) : axis === -1 || axis === input.length;
      if (!last) throw new TopologyError(`Layer “${name}” normalises axis ${JSON.stringify(axis)}; Digit Lab reads batch normalisation over the last axis only.`);
      const channels = input[input.length - 1];
      const weights: TopologyWeight[] = [];
      if (config.scale !== false) weights.push(w('gamma', [channels]));
      if (config.center !== false) weights.push(w('beta', [channels]));
      weights.push(w('moving_mean', [channels]), w('moving_variance', [channels]));
      return { weights, output: input };
    }
    default:
      throw new TopologyError(`Digit Lab cannot read the layer type “${className}” (layer “${name}”). It reads ${READABLE_LAYERS.join(', ')}.`);
  }
}

interface RawLayer {
  className: string;
  config: Raw;
  name: string;
}

/** The layers in order: a Sequential model, or a functional one whose layers follow one another. */
function layersOf(topology: Raw): RawLayer[] {
  const modelClass = topology.class_name;
  const config = topology.config;
  const list = Array.isArray(config) ? config : isObject(config) ? config.layers : undefined;
  if ((modelClass !== 'Sequential' && modelClass !== 'Model' && modelClass !== 'Functional') || !Array.isArray(list)) {
    throw new TopologyError('model.json has no Sequential or functional model topology Digit Lab can read.');
  }
  if (list.length === 0) throw new TopologyError('model.json describes a model with no layers.');
  if (list.length > TOPOLOGY_LIMITS.layers) throw new TopologyError(`model.json describes ${fmt(list.length)} layers; Digit Lab reads models of up to ${TOPOLOGY_LIMITS.layers}.`);
  const layers = list.map((entry, i): RawLayer & { inbound: unknown } => {
    if (!isObject(entry) || typeof entry.class_name !== 'string' || !isObject(entry.config)) throw new TopologyError(`Layer ${i + 1} of model.json is malformed.`);
    const name = typeof entry.config.name === 'string' ? entry.config.name : typeof entry.name === 'string' ? entry.name : `${entry.class_name}_${i + 1}`;
    return { className: entry.class_name, config: entry.config, name, inbound: entry.inbound_nodes };
  });
  if (modelClass !== 'Sequential') {
    // A functional model is read when each layer takes the one before it (what Keras saves for a plain stack).
    layers.forEach((layer, i) => {
      const nodes = layer.inbound;
      const from = i === 0 ? null : layers[i - 1].name;
      const single = Array.isArray(nodes) && nodes.length === (from ? 1 : 0);
      const takes = !from || (single && JSON.stringify(nodes).includes(JSON.stringify(from)) && (nodes as unknown[][])[0].length === 1);
      if (!takes) throw new TopologyError('Digit Lab reads models whose layers follow one another in a single line; this one branches.');
    });
  }
  return layers;
}

/**
 * Every weight the model would allocate and its parameter count, from the topology alone (nothing is built).
 * Throws a TopologyError for a malformed topology or a layer the lab cannot read; `checkTopologyLimits` holds the
 * numbers to the lab's limits.
 */
export function summariseTopology(topology: unknown): TopologySummary {
  if (!isObject(topology)) throw new TopologyError('model.json has no model topology.');
  const layers = layersOf(topology);
  let shape = batchShape(layers[0].config);
  if (!shape) throw new TopologyError('model.json does not say what input the model takes (no input shape on its first layer).');
  const inputShape = shape;
  const weights: TopologyWeight[] = [];
  let params = 0;
  for (const layer of layers) {
    const result = step(layer.className, layer.config, layer.name, shape);
    for (const weight of result.weights) params += count(weight.shape);
    weights.push(...result.weights);
    shape = result.output;
    if (count(shape) > 1 << 26) throw new TopologyError(`Layer “${layer.name}” outputs ${fmt(count(shape))} values per image: more than Digit Lab can hold.`);
  }
  return { layers: layers.map((l) => l.className), weights, params, inputShape, outputShape: shape };
}

/** Bytes as a learner reads them: "3.1 GB", "940 kB". */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${fmt(value)} bytes` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** Refuses a model over the lab's parameter cap, with its numbers (float32 weights: 4 bytes each). */
export function checkTopologyLimits(summary: TopologySummary): void {
  if (summary.params > TOPOLOGY_LIMITS.params) {
    const biggest = summary.weights.reduce((a, b) => (count(b.shape) > count(a.shape) ? b : a));
    throw new TopologyError(
      `This model has ${fmt(summary.params)} parameters (${formatBytes(summary.params * 4)} of weights; “${biggest.name}” alone has ${fmt(count(biggest.shape))}): ` +
        `Digit Lab loads models of up to ${fmt(TOPOLOGY_LIMITS.params)} parameters in a browser tab.`,
    );
  }
}

/**
 * Checks that a weights manifest gives exactly the weights the topology needs, with the same shapes (tfjs would
 * refuse it only after building the model). Throws a TopologyError naming the first weight that does not fit.
 */
export function checkManifestFits(summary: TopologySummary, manifest: readonly { name: string; shape: readonly number[] }[]): void {
  const given = new Map(manifest.map((m) => [m.name, m.shape]));
  const missing = summary.weights.filter((w) => !given.has(w.name));
  if (missing.length > 0) {
    throw new TopologyError(
      `The weights manifest lists ${fmt(given.size)} of the model's ${fmt(summary.weights.length)} weight tensors: ` +
        `${missing.length === 1 ? 'this one is' : `${fmt(missing.length)} are`} missing (${missing.slice(0, 3).map((w) => `“${w.name}”`).join(', ')}${missing.length > 3 ? ', …' : ''}). Nothing was loaded.`,
    );
  }
  for (const weight of summary.weights) {
    const shape = given.get(weight.name)!;
    if (shape.length !== weight.shape.length || shape.some((d, i) => d !== weight.shape[i])) {
      throw new TopologyError(`Weight “${weight.name}” has shape [${shape.join(', ')}] in the manifest but the model needs [${weight.shape.join(', ')}]. Nothing was loaded.`);
    }
  }
  const needed = new Set(summary.weights.map((w) => w.name));
  const extra = manifest.filter((m) => !needed.has(m.name));
  if (extra.length > 0) throw new TopologyError(`The weights manifest lists weights the model does not have (“${extra[0].name}”${extra.length > 1 ? `, and ${fmt(extra.length - 1)} more` : ''}). Nothing was loaded.`);
}
