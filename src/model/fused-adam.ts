import * as tf from '@tensorflow/tfjs';
import { FUSED_ADAM, fusedAdamAvailable, type FusedAdamAttrs } from '../backend/wasm/simd/simd-adam';

/** The parts of tfjs's AdamOptimizer the fused step reads and updates (private in its typings, public at run time). */
interface AdamState {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
  accumulatedSecondMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
  beta1: number;
  beta2: number;
  epsilon: number;
  learningRate: number;
}

type VariableGradients = Parameters<tf.AdamOptimizer['applyGradients']>[0];

/**
 * tfjs's Adam, whose step runs as one fused kernel on WASM (src/backend/wasm/simd/simd-adam.ts) and as tfjs's own
 * everywhere else. Same state, same variables, same serialisation (it is an AdamOptimizer), same numbers to the bit:
 * the fused step does tfjs's float32 operations in tfjs's order.
 */
export class LabAdam extends tf.AdamOptimizer {
  override applyGradients(variableGradients: VariableGradients): void {
    if (!fusedAdamAvailable()) {
      super.applyGradients(variableGradients);
      return;
    }
    const state = this as unknown as AdamState;
    const names = Array.isArray(variableGradients) ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
    // tfjs divides by the float32 tensors 1 - β^t (accBeta is a float32 variable): the same values, read once.
    const oneMinus = (acc: tf.Variable) => Math.fround(1 - (acc.dataSync()[0] as number));
    const attrs: FusedAdamAttrs = {
      negLr: -state.learningRate,
      beta1: state.beta1,
      beta2: state.beta2,
      epsilon: state.epsilon,
      c1: oneMinus(state.accBeta1),
      c2: oneMinus(state.accBeta2),
      oneMinusBeta1: 1 - state.beta1,
      oneMinusBeta2: 1 - state.beta2,
    };
    tf.tidy(() => {
      names.forEach((name, i) => {
        const value = tf.engine().registeredVariables[name];
        const moment = (suffix: string) => ({ originalName: `${name}/${suffix}`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) });
        state.accumulatedFirstMoment[i] ??= moment('m');
        state.accumulatedSecondMoment[i] ??= moment('v');
        const gradient = Array.isArray(variableGradients) ? variableGradients[i].tensor : variableGradients[name];
        if (gradient == null) return;
        const m = state.accumulatedFirstMoment[i]!.variable;
        const v = state.accumulatedSecondMoment[i]!.variable;
        const [newValue, newM, newV] = tf.engine().runKernel(FUSED_ADAM, { value, gradient, m, v }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
        m.assign(newM);
        v.assign(newV);
        value.assign(newValue);
      });
      state.accBeta1.assign(tf.mul(state.accBeta1, state.beta1));
      state.accBeta2.assign(tf.mul(state.accBeta2, state.beta2));
    });
    this.incrementIterations();
  }
}
