import type * as tf from '@tensorflow/tfjs';

/** The kernels of one convolution layer, as plain numbers. */
export interface ConvFilters {
  layerName: string;
  /** Position among the model's layers (0-based). */
  layerIndex: number;
  kernelHeight: number;
  kernelWidth: number;
  inChannels: number;
  outChannels: number;
  /** Kernel values in tfjs order [height][width][in][out]. */
  values: Float32Array;
  /** Largest absolute weight: the symmetric range of the diverging colour scale. */
  maxAbs: number;
}

/** The kernel of output channel `out` for input channel `inChannel`, row-major kernelHeight × kernelWidth. */
export function kernelImage(filters: ConvFilters, out: number, inChannel: number): Float32Array {
  const { kernelHeight, kernelWidth, inChannels, outChannels, values } = filters;
  const image = new Float32Array(kernelHeight * kernelWidth);
  for (let y = 0; y < kernelHeight; y++) {
    for (let x = 0; x < kernelWidth; x++) {
      image[y * kernelWidth + x] = values[((y * kernelWidth + x) * inChannels + inChannel) * outChannels + out];
    }
  }
  return image;
}

/**
 * Every 2-D convolution's kernel. The weights are the model's own variables: they are read, never disposed, and
 * no new tensor is made.
 */
export async function convFilters(model: tf.LayersModel): Promise<ConvFilters[]> {
  const result: ConvFilters[] = [];
  for (const [layerIndex, layer] of model.layers.entries()) {
    if (layer.getClassName() !== 'Conv2D') continue;
    const kernel = layer.getWeights()[0];
    const [kernelHeight, kernelWidth, inChannels, outChannels] = kernel.shape;
    const values = Float32Array.from(await kernel.data());
    let maxAbs = 0;
    for (const v of values) maxAbs = Math.max(maxAbs, Math.abs(v));
    result.push({ layerName: layer.name, layerIndex, kernelHeight, kernelWidth, inChannels, outChannels, values, maxAbs });
  }
  return result;
}
