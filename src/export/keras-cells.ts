/** What every part of a run export shares: the checked run, the two targets, and small text helpers. */
import type { AugmentSettings } from '../augment/settings';
import type { ModelSpec } from '../model/spec';
import type { TrainSettings } from '../train/settings';
import type { ExportCell } from './notebook';
import { pyString } from './python';

export interface RunExportFileNames {
  notebook: string;
  script: string;
  /** Keras 3 only loads weights from a name ending in `.weights.h5`. */
  weights: string;
}

/** The input with every value checked; throws ExportError naming the first bad setting. */
export interface CheckedRun {
  spec: ModelSpec;
  settings: TrainSettings;
  /** Null when the run trains on the digits as they are. */
  augmentation: AugmentSettings | null;
  testAccuracy: number | null;
  testCount: number;
  backend: string | null;
  files: RunExportFileNames;
}

export type Target = 'notebook' | 'script';

/** The MNIST test split: a run scored on fewer says so in the notebook. */
export const TEST_DIGITS = 10_000;
export const count = (n: number) => n.toLocaleString('en-US');
export const percent = (fraction: number) => `${(fraction * 100).toFixed(2)}%`;
export const md = (...lines: string[]): ExportCell => ({ kind: 'markdown', source: lines.join('\n') });
export const code = (...lines: string[]): ExportCell => ({ kind: 'code', source: lines.join('\n') });

export function validationCount(settings: TrainSettings): number {
  // The lab's rounding (Math.round), written out as a number so Python's round-half-even cannot differ.
  return Math.round(settings.trainSize * settings.validationSplit);
}

/** Drops floating-point noise such as 1 - 0.07 = 0.9299999999999999. */
export const round = (n: number) => Number(n.toFixed(6));

export function augmentationSummary(a: AugmentSettings | null): string {
  if (!a) return 'off';
  return `rotation ±${a.rotation}°, shift ±${a.widthShift} × width and ±${a.heightShift} × height, shear ±${a.shear}°, zoom ${round(1 - a.zoom)}–${round(1 + a.zoom)}`;
}

/** How a figure ends: shown in the notebook, saved to a file by the script. */
export function show(target: Target, fileSuffix: string): string[] {
  return target === 'notebook'
    ? ['plt.show()']
    : [`figure.savefig(RUN_NAME + ${pyString(fileSuffix)}, dpi=120, bbox_inches="tight")`, `print("Saved", RUN_NAME + ${pyString(fileSuffix)})`];
}
