import type { ReactiveControllerHost } from 'lit';
import type { Prediction } from '../src/inspect/predict';
import type { LabModel } from '../src/model/lab-model';
import { asPrediction } from '../src/symbols/reader';
import { SymbolSessionController } from './symbol-session-controller';

/** The Draw pad's answer read with the taught model: the prediction over every class, and the classes' names. */
export interface DrawSymbolReading {
  /** `digit` is the index of the top class: 0–9 the digits, 10 and up the learner's classes. */
  prediction: Prediction;
  /** "0"…"9", then the learner's classes. */
  labels: string[];
}

/**
 * The Draw lesson's link to lesson 7 (Beyond digits): once the learner has taught the network their own symbols
 * there (the lab's symbol session, kept in the browser), the pad reads with the extended model — the ten digits and
 * the new classes — unless the learner switches back to digits only. `onChange` runs when what the pad reads with
 * changes (taught, forgotten, loaded, switched), so the host reads its drawing again.
 */
export class DrawSymbolsController {
  private readonly symbols: SymbolSessionController;
  /** What the pad last read with: the taught model (or none) and the choice. */
  private readingWith: { taught: unknown; withClasses: boolean } = { taught: null, withClasses: true };

  constructor(host: ReactiveControllerHost & HTMLElement, backendReady: () => Promise<unknown>, onChange: () => void) {
    this.symbols = new SymbolSessionController(host, backendReady, () => {
      const session = this.symbols.value;
      const now = { taught: session?.taught ?? null, withClasses: session?.drawWithClasses ?? true };
      if (now.taught === this.readingWith.taught && now.withClasses === this.readingWith.withClasses) return;
      this.readingWith = now;
      onChange();
    });
  }

  /** The taught classes (beyond the digits), or null before teaching. */
  get classNames(): string[] | null {
    return this.symbols.value?.taught?.classNames ?? null;
  }

  /** Whether the pad reads the taught classes too (true) or digits only. */
  get withClasses(): boolean {
    return this.symbols.value?.drawWithClasses ?? true;
  }

  set withClasses(value: boolean) {
    this.symbols.value?.setDrawWithClasses(value);
  }

  /**
   * The drawing (784 values in [0, 1]) read with the taught model, or null when the pad reads digits only (nothing
   * taught, or the learner chose digits only): then the host reads it with the lab model as before.
   */
  async read(pixels: ArrayLike<number>, current: LabModel): Promise<DrawSymbolReading | null> {
    const session = this.symbols.value;
    if (!session?.drawLabels) return null;
    const reading = await session.read(pixels, current);
    if (!reading) return null;
    return { prediction: asPrediction(reading), labels: reading.labels };
  }
}
