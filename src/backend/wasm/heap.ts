import * as tf from '@tensorflow/tfjs';

/** The parts of tfjs's WASM backend a kernel written in JavaScript needs: outputs and views of the heap. */
export interface HeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): tf.backend_util.TypedArray;
  disposeData(dataId: tf.DataId): boolean;
}

/** What the engine hands a kernel function. */
export type KernelArgs = Parameters<tf.KernelFunc>[0];

/**
 * Identity without a copy: the output shares the input's memory, as on the cpu and WebGL backends (tensors are
 * never written in place). The backend's own kernel copies the whole tensor, and training calls it hundreds of
 * times a step (casts, clones in the layers and in gradients).
 */
export function shareIdentity(args: KernelArgs): tf.TensorInfo | null {
  const x = args.inputs.x as tf.TensorInfo;
  if (x.dtype === 'string') return null;
  (args.backend as unknown as { incRef(dataId: tf.DataId): void }).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}
