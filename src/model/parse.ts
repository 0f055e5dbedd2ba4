/** Reading a model spec from untrusted JSON (a URL, a pasted file): only known layers and fields get through. */
import { validateSpec } from './analyze';
import { ACTIVATIONS, MODEL_SPEC_VERSION, type Activation, type LayerSpec, type ModelSpec } from './spec';

type Raw = Record<string, unknown>;

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const padding = (v: unknown): 'valid' | 'same' | undefined => (v === 'valid' || v === 'same' ? v : undefined);
const activation = (v: unknown): Activation | undefined =>
  typeof v === 'string' && (ACTIVATIONS as readonly string[]).includes(v) ? (v as Activation) : undefined;

/** One layer with exactly the fields of its type, or null if any required field is missing or of the wrong kind. */
function parseLayer(raw: unknown): LayerSpec | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Raw;
  const optionalActivation = r.activation === undefined ? undefined : activation(r.activation);
  if (r.activation !== undefined && optionalActivation === undefined) return null;
  switch (r.type) {
    case 'conv2d': {
      const [filters, kernelSize, strides, pad] = [num(r.filters), num(r.kernelSize), num(r.strides), padding(r.padding)];
      if (filters === undefined || kernelSize === undefined || strides === undefined || !pad) return null;
      const layer: LayerSpec = { type: 'conv2d', filters, kernelSize, strides, padding: pad };
      if (optionalActivation) layer.activation = optionalActivation;
      return layer;
    }
    case 'activation': {
      const a = activation(r.activation);
      return a ? { type: 'activation', activation: a } : null;
    }
    case 'maxPool2d':
    case 'avgPool2d': {
      const poolSize = num(r.poolSize);
      if (poolSize === undefined) return null;
      const layer: LayerSpec = { type: r.type, poolSize };
      if (r.strides !== undefined) {
        const strides = num(r.strides);
        if (strides === undefined) return null;
        layer.strides = strides;
      }
      if (r.padding !== undefined) {
        const pad = padding(r.padding);
        if (!pad) return null;
        layer.padding = pad;
      }
      return layer;
    }
    case 'batchNorm':
    case 'flatten':
      return { type: r.type };
    case 'dropout': {
      const rate = num(r.rate);
      return rate === undefined ? null : { type: 'dropout', rate };
    }
    case 'dense': {
      const units = num(r.units);
      if (units === undefined) return null;
      const layer: LayerSpec = { type: 'dense', units };
      if (optionalActivation) layer.activation = optionalActivation;
      return layer;
    }
    default:
      return null;
  }
}

/** A well-formed spec (right version, known layers, right field types), valid or not; null when malformed. */
export function parseModelSpec(raw: unknown): ModelSpec | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Raw;
  if (r.version !== MODEL_SPEC_VERSION || !Array.isArray(r.layers) || r.layers.length > 200) return null;
  const layers: LayerSpec[] = [];
  for (const entry of r.layers) {
    const layer = parseLayer(entry);
    if (!layer) return null;
    layers.push(layer);
  }
  const clean = typeof r.name === 'string' ? r.name.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, ' ').trim() : '';
  const name = clean ? clean.slice(0, 60) : 'custom';
  return { version: MODEL_SPEC_VERSION, name, layers };
}

/** A spec that is well-formed AND can be built and trained; null otherwise. */
export function parseValidModelSpec(raw: unknown): ModelSpec | null {
  const spec = parseModelSpec(raw);
  return spec && validateSpec(spec).length === 0 ? spec : null;
}
