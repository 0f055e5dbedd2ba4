import * as tf from '@tensorflow/tfjs';
import type { HeapBackend, KernelArgs } from './heap';

/**
 * Slice without a copy of its whole input. tfjs's WASM Slice first reads the entire input out of the heap (a copy)
 * and then copies the slice from that: splitting the classic net's 872k gradients into its 22 weights copied
 * 22 × 3.5 MB, about 46 ms a data-parallel step. Here the slice is read through a view of the heap. Strings and
 * every other case keep the backend's own kernel.
 */
export function sliceFromHeap(args: KernelArgs): tf.TensorInfo | null {
  const x = args.inputs.x as tf.TensorInfo;
  if (x.dtype === 'string') return null;
  const { begin, size } = args.attrs as unknown as { begin: number | number[]; size: number | number[] };
  const [begin_, size_] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size);
  const backend = args.backend as unknown as HeapBackend;
  const out = backend.makeOutput(size_, x.dtype);
  // Views are taken after the output is allocated: growing the heap detaches any view taken before.
  const source = backend.typedArrayFromHeap(x);
  const target = backend.typedArrayFromHeap(out);
  if (tf.slice_util.isSliceContinous(x.shape, begin_, size_)) {
    const from = tf.slice_util.computeFlatOffset(begin_, tf.util.computeStrides(x.shape));
    target.set(source.subarray(from, from + target.length));
    return out;
  }
  // Copies the innermost axis's runs, one per position on the outer axes.
  const strides = [...tf.util.computeStrides(x.shape), 1];
  const rank = x.shape.length;
  const run = size_[rank - 1];
  const outer = size_.slice(0, rank - 1);
  const index = new Array<number>(rank - 1).fill(0);
  for (let at = 0; at < target.length; at += run) {
    let from = begin_[rank - 1];
    for (let d = 0; d < rank - 1; d++) from += (begin_[d] + index[d]) * strides[d];
    target.set(source.subarray(from, from + run), at);
    for (let d = rank - 2; d >= 0; d--) {
      if (++index[d] < outer[d]) break;
      index[d] = 0;
    }
  }
  return out;
}

/** SplitV as slices read through the heap (the backend's own calls its copying Slice once per part). */
export function splitFromHeap(args: KernelArgs): tf.TensorInfo[] | null {
  const x = args.inputs.x as tf.TensorInfo;
  if (x.dtype === 'string') return null;
  const { numOrSizeSplits, axis } = args.attrs as unknown as { numOrSizeSplits: number | number[]; axis: number };
  const along = tf.util.parseAxisParam(axis, x.shape)[0];
  const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, numOrSizeSplits, along);
  const begin = new Array<number>(x.shape.length).fill(0);
  return sizes.map((s) => {
    const size = [...x.shape];
    size[along] = s;
    const part = sliceFromHeap({ ...args, attrs: { begin: [...begin], size } as unknown as KernelArgs['attrs'] });
    begin[along] += s;
    return part as tf.TensorInfo;
  });
}
