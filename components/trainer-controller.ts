import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { WASM_PATHS } from '../src/backend/wasm-paths';
import type { LabState } from '../src/state/lab-state';
import { canUseWorker, createInProcessEngine, createWorkerEngine } from '../src/train/engine';
import { labTrainer, type LabTrainer } from '../src/train/lab-trainer';
import { labDataset } from './config';

/** The lab's one trainer for a state: a worker engine where module workers exist, else on the page. */
export function trainerFor(state: LabState): LabTrainer {
  return labTrainer(state, () => ({
    createEngine: () => (canUseWorker() ? createWorkerEngine({ wasmPaths: WASM_PATHS }) : createInProcessEngine({ wasmPaths: WASM_PATHS })),
    dataset: labDataset(state),
  }));
}

/** Re-renders the host whenever the lab's trainer reports progress; unsubscribes on disconnect. */
export class TrainerController implements ReactiveController {
  private unsubscribe: (() => void) | null = null;
  private trainer: LabTrainer | null = null;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  /** Attaches to the state's trainer (call when the lab state is known). */
  attach(state: LabState): LabTrainer {
    const trainer = trainerFor(state);
    if (trainer !== this.trainer) {
      this.unsubscribe?.();
      this.trainer = trainer;
      this.unsubscribe = trainer.subscribe(() => this.host.requestUpdate());
    }
    return trainer;
  }

  get value(): LabTrainer | null {
    return this.trainer;
  }

  hostConnected(): void {
    if (this.trainer && !this.unsubscribe) this.unsubscribe = this.trainer.subscribe(() => this.host.requestUpdate());
  }

  hostDisconnected(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }
}
