import * as tf from '@tensorflow/tfjs';

/** The parts of a tfjs tape node we read (tfjs-core's TapeNode is not exported). The tape keeps no attributes. */
export interface TapeNode {
  kernelName: string;
  inputs: Record<string, tf.Tensor | undefined>;
  outputs: tf.Tensor[];
}

/** The parts of tfjs's engine we read or wrap. */
export interface EngineInternals {
  state?: { activeTape?: TapeNode[] | null };
  gradients(f: () => tf.Tensor, xs: tf.Tensor[], dy?: tf.Tensor, allowNoGradients?: boolean): unknown;
}

/** The tape of the gradient being computed: tfjs keeps it in its engine's state until the backward pass ends. */
export function activeTape(): TapeNode[] | null {
  return (tf.engine() as unknown as EngineInternals).state?.activeTape ?? null;
}
