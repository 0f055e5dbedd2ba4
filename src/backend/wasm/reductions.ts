import * as tf from '@tensorflow/tfjs';
import type { HeapBackend, KernelArgs } from './heap';
import { isKnownZero, knownZeros } from './zero-gradients';

/**
 * Gradients of Sum and Mean that broadcast the output gradient onto a filled tensor. tfjs's own build a tensor of
 * ones the size of the input in JavaScript on every call (batch norm's moments: 10% of a classic-net step on
 * WASM) only to multiply by it. Used on 'wasm' only (see registerGradientForWasm).
 */
function reductionGradConfig(kernelName: 'Sum' | 'Mean'): tf.GradConfig {
  return {
    kernelName,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved;
      const axes = tf.util.parseAxisParam((attrs as unknown as { axis: number | number[] }).axis, x.shape);
      const expanded = x.shape.map((size, i) => (axes.includes(i) ? 1 : size));
      const count = kernelName === 'Mean' ? axes.reduce((n, axis) => n * x.shape[axis], 1) : 1;
      return {
        x: () => {
          if (isKnownZero(dy as tf.Tensor)) return knownZeros(x.shape);
          const grad = tf.reshape(dy as tf.Tensor, expanded);
          return tf.add(tf.fill(x.shape, 0, 'float32'), count === 1 ? grad : tf.div(grad, count));
        },
      };
    },
  };
}

export const sumGradConfig = reductionGradConfig('Sum');
export const meanGradConfig = reductionGradConfig('Mean');

/**
 * Sum or mean over the leading axes (batch norm's moments and gradients, bias gradients) as one pass over the
 * data in WebAssembly memory. The backend's own kernel transposes the whole tensor first, and a product with a row
 * of ones makes XNNPACK repack the tensor on every call: both 3-5× slower than this loop.
 */
export function reduceLeadingAxes(args: KernelArgs, mean: boolean): tf.TensorInfo | null {
  const x = args.inputs.x as tf.TensorInfo;
  const attrs = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
  if (x.dtype !== 'float32' || x.shape.length < 1) return null;
  const axes = tf.util.parseAxisParam(attrs.axis, x.shape).sort((p, q) => p - q);
  if (axes.length === 0 || axes.some((a, i) => a !== i)) return null;
  const rows = x.shape.slice(0, axes.length).reduce((p, q) => p * q, 1);
  const rest = x.shape.slice(axes.length);
  const columns = rest.reduce((p, q) => p * q, 1);
  const backend = args.backend as unknown as HeapBackend;
  const out = backend.makeOutput(attrs.keepDims ? [...axes.map(() => 1), ...rest] : rest, 'float32');
  // Views are taken after makeOutput: growing the heap detaches older ones.
  const source = backend.typedArrayFromHeap(x) as Float32Array;
  const target = backend.typedArrayFromHeap(out) as Float32Array;
  const totals = columnTotals(source, rows, columns);
  const scale = mean ? 1 / rows : 1;
  for (let c = 0; c < columns; c++) target[c] = totals[c] * scale;
  return out;
}

/**
 * Column sums of a row-major [rows, columns] array. Eight columns at a time in local variables over a block of
 * rows that stays in cache: about 4× faster in V8 than adding each value into an array of totals.
 */
export function columnTotals(source: Float32Array, rows: number, columns: number): Float64Array {
  const totals = new Float64Array(columns);
  const block = 64;
  for (let r0 = 0; r0 < rows; r0 += block) {
    const r1 = Math.min(rows, r0 + block);
    let c = 0;
    for (; c + 8 <= columns; c += 8) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
      for (let o = r0 * columns + c, end = r1 * columns; o < end; o += columns) {
        s0 += source[o]; s1 += source[o + 1]; s2 += source[o + 2]; s3 += source[o + 3];
        s4 += source[o + 4]; s5 += source[o + 5]; s6 += source[o + 6]; s7 += source[o + 7];
      }
      totals[c] += s0; totals[c + 1] += s1; totals[c + 2] += s2; totals[c + 3] += s3;
      totals[c + 4] += s4; totals[c + 5] += s5; totals[c + 6] += s6; totals[c + 7] += s7;
    }
    for (; c < columns; c++) {
      let sum = 0;
      for (let o = r0 * columns + c, end = r1 * columns; o < end; o += columns) sum += source[o];
      totals[c] += sum;
    }
  }
  return totals;
}
