import type { ReactiveControllerHost } from 'lit';
import { formatPercent } from '../src/format';
import { judge, type CheckedPrediction, type DigitCheck, type DigitVerdict } from '../src/inspect/digit-check';
import type { LabModel } from '../src/model/lab-model';
import type { LabState } from '../src/state/lab-state';
import { InsightController } from './activation-insight';

export interface DrawDigitCheckOptions {
  /** The lab state (undefined outside the lab: then there is no check). */
  state: () => LabState | undefined;
  /** The lab's model now: a check fitted for a model the lab no longer uses judges nothing. */
  model: () => LabModel | null;
  /** The verdict on the drawing read last, once its model's check has been fitted (see `verdictFor`). */
  onLateVerdict: (verdict: DigitVerdict) => void;
}

/**
 * The Draw pad's "not a digit" check (src/inspect/digit-check.ts): it judges the lab model's own features of the
 * drawing with the check fitted for that model. A model with no check yet (a new one) has it fitted once in the
 * inspection worker, and then the drawing on show is judged; meanwhile `checkingText` says what it is doing.
 * Re-renders the host as the fitting goes on.
 */
export class DrawDigitCheckController {
  private readonly insight: InsightController;
  /** The check's features of the drawing read (null when the taught classes read it). */
  private features: Float32Array | null = null;

  constructor(
    host: ReactiveControllerHost,
    private readonly options: DrawDigitCheckOptions,
  ) {
    this.insight = new InsightController(host);
  }

  /** The check for `model` if it has one already; null when it has none yet, or outside the lab. */
  async known(model: LabModel): Promise<DigitCheck | null> {
    const state = this.options.state();
    return state ? this.insight.attach(state).knownCheck(model).catch(() => null) : null;
  }

  /**
   * The verdict on the drawing just read: `checked` is the ten digits' answer with its features (null when the
   * taught classes read it: the check speaks only for the ten digits), `check` what `known` gave for `model`. With
   * no check yet, it is fitted and the verdict comes later, through `onLateVerdict`.
   */
  verdictFor(model: LabModel, checked: CheckedPrediction | null, check: DigitCheck | null): DigitVerdict | null {
    this.features = checked?.features ?? null;
    const verdict = check && checked ? judge(check, checked.features) : null;
    if (!check && checked) this.fitLater(model);
    return verdict;
  }

  /** What the check is doing, while it has no answer (`verdict`) for this model yet. */
  checkingText(verdict: DigitVerdict | null): string {
    const fitting = this.insight.value?.progress.calibrating;
    if (verdict || fitting === null || fitting === undefined) return '';
    return `Measuring once what digits look like to this model, to tell when a drawing is not a digit: ${formatPercent(fitting, 0)}.`;
  }

  /** A model with no check yet (a new one): fit it in the inspection worker, then judge the drawing shown. */
  private fitLater(model: LabModel): void {
    const state = this.options.state();
    if (!state) return;
    void this.insight
      .attach(state)
      .digitCheck(model)
      .then((check) => {
        if (this.options.model() !== model || !this.features) return;
        this.options.onLateVerdict(judge(check, this.features));
      })
      .catch(() => {});
  }
}
