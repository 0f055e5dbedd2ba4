import * as tf from '@tensorflow/tfjs';
import { activeTape, type EngineInternals, type TapeNode } from './tape';

/**
 * Which convolution input gradients nobody asked for. tfjs's fused conv2d (every Keras conv layer) computes the
 * gradients of its input and its filter together in one custom gradient, so the first layer's gradient with respect
 * to the input image is computed every step and thrown away: the image depends on no variable being trained. The
 * engine knows which tensors the gradient is taken with respect to (`xs`) only inside `gradients`; we note them there
 * and read the tape (as tfjs's own pruning does) to tell whether a convolution's input depends on them.
 */

/** The `xs` of the gradients being computed, innermost last. */
const gradientTargets: tf.Tensor[][] = [];
let patched = false;

/** Notes the `xs` of every gradient computation (wraps the engine's `gradients`, behaviour unchanged). */
export function trackGradientTargets(): void {
  if (patched) return;
  const engine = tf.engine() as unknown as EngineInternals;
  const original = engine.gradients;
  engine.gradients = function (this: EngineInternals, f, xs, dy, allowNoGradients) {
    gradientTargets.push(xs);
    try {
      return original.call(this, f, xs, dy, allowNoGradients);
    } finally {
      gradientTargets.pop();
    }
  };
  patched = true;
}

/** Ids of the tensors on the tape that depend on the current gradient's xs, cached per tape and length. */
let cached: { tape: TapeNode[]; length: number; xs: tf.Tensor[]; fromX: Set<number> } | null = null;

function tensorsFromTargets(tape: TapeNode[], xs: tf.Tensor[]): Set<number> {
  if (cached && cached.tape === tape && cached.length === tape.length && cached.xs === xs) return cached.fromX;
  const fromX = new Set(xs.map((x) => x.id));
  for (const node of tape) {
    if (Object.values(node.inputs).some((input) => input && fromX.has(input.id))) for (const output of node.outputs) fromX.add(output.id);
  }
  cached = { tape, length: tape.length, xs, fromX };
  return fromX;
}

/**
 * True only when we can tell that the input gradient of the convolution with this filter and input shape is not
 * needed: exactly one convolution on the tape uses this filter's memory with an input of that shape, and that input
 * does not depend on what the gradient is taken with respect to. False whenever unsure.
 */
export function inputGradUnneeded(filter: tf.TensorInfo, inputShape: readonly number[]): boolean {
  const xs = gradientTargets[gradientTargets.length - 1];
  const tape = activeTape();
  if (!xs || !tape) return false;
  let input: tf.Tensor | undefined;
  let matches = 0;
  for (const node of tape) {
    const isFused = node.kernelName === 'fusedConv2d__op';
    if (!isFused && node.kernelName !== 'Conv2D') continue;
    const nodeFilter = isFused ? node.inputs['1'] : node.inputs.filter;
    const nodeInput = isFused ? node.inputs['0'] : node.inputs.x;
    if (nodeFilter?.dataId !== filter.dataId || !nodeInput || nodeInput.shape.join() !== inputShape.join()) continue;
    input = nodeInput;
    matches++;
  }
  return matches === 1 && !!input && !tensorsFromTargets(tape, xs).has(input.id);
}
