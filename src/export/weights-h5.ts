/**
 * The weights as a Keras 3 `.weights.h5` file, which `model.load_weights(path)` reads into the same model built in
 * Python. Keras 3 stores each layer's variables at `layers/<layer>/vars/<i>`, the layer named after its class in
 * snake case and numbered in order (conv2d, conv2d_1, …), whatever names the layers were given; layers without
 * weights need no entry. HDF5 is written with h5wasm (the HDF5 C library compiled to WebAssembly), loaded only
 * when a file is made: it is a 4 MB module.
 */
import type { KerasWeight } from './weights';
import { matchWeightsToSpec } from './weights';
import type { ModelSpec } from '../model/spec';

/** What Keras 3 writes as a `.weights.h5` file's MIME type is HDF5's. */
export const KERAS_WEIGHTS_MIME = 'application/x-hdf5';

let sequence = 0;

/**
 * Encodes `weights` (checked against `spec`: names, shapes, finite values) as the bytes of a Keras 3
 * `.weights.h5` file. Throws ExportError when they do not fit the spec.
 */
export async function encodeKerasWeightsH5(spec: ModelSpec, weights: readonly KerasWeight[]): Promise<Uint8Array> {
  const matched = matchWeightsToSpec(spec, weights);
  const h5wasm = await import('h5wasm');
  const { FS } = await h5wasm.ready;
  // h5wasm writes into its in-memory file system; one file per call, removed when read back.
  const path = `/digit-lab-export-${++sequence}.weights.h5`;
  const file = new h5wasm.File(path, 'w');
  try {
    const layers = file.create_group('layers');
    const groups = new Map<string, ReturnType<typeof layers.create_group>>();
    for (const { slot, weight } of matched) {
      let vars = groups.get(slot.kerasLayer);
      if (!vars) {
        vars = layers.create_group(slot.kerasLayer).create_group('vars');
        vars.create_attribute('name', slot.kerasLayer);
        groups.set(slot.kerasLayer, vars);
      }
      vars.create_dataset({ name: String(slot.index), data: weight.values, shape: [...slot.shape], dtype: '<f' });
    }
  } finally {
    file.close();
  }
  try {
    return FS.readFile(path);
  } finally {
    FS.unlink(path);
  }
}
