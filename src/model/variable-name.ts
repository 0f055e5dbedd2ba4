/**
 * A weight's variable name without its layer or the suffix tfjs adds to a rebuilt model's names:
 * "batch_normalization_BatchNormalization1/moving_mean_1" → "moving_mean" (also Keras' name for it).
 */
export const variableName = (name: string): string => name.slice(name.lastIndexOf('/') + 1).replace(/_\d+$/, '');
