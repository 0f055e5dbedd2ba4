import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { WASM_PATHS } from '../src/backend/wasm-paths';
import { createInProcessInsightEngine, createWorkerInsightEngine } from '../src/inspect/insight-engine';
import { labInsight, type LabInsight } from '../src/inspect/lab-insight';
import { loadPersisted, savePersisted } from '../src/state/idb';
import type { LabState } from '../src/state/lab-state';
import { canUseWorker } from '../src/train/engine';
import { labDataset, modelBaseUrl } from './config';

/** The lab's one LabInsight for a state: the inspection worker where module workers exist, checks kept in IndexedDB. */
export function insightFor(state: LabState): LabInsight {
  return labInsight(state, () => ({
    createEngine: () => (canUseWorker() ? createWorkerInsightEngine({ wasmPaths: WASM_PATHS }) : createInProcessInsightEngine({ wasmPaths: WASM_PATHS })),
    dataset: labDataset(state),
    shippedCheckUrl: new URL('digit-check.json', modelBaseUrl()).href,
    storage: { load: loadPersisted, save: savePersisted },
  }));
}

/** Re-renders the host whenever the lab's insight reports progress or a result; unsubscribes on disconnect. */
export class InsightController implements ReactiveController {
  private unsubscribe: (() => void) | null = null;
  private insight: LabInsight | null = null;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  /** Attaches to the state's insight (call once the lab state is known). */
  attach(state: LabState): LabInsight {
    const insight = insightFor(state);
    if (insight !== this.insight) {
      this.unsubscribe?.();
      this.insight = insight;
      this.unsubscribe = insight.subscribe(() => this.host.requestUpdate());
    }
    return insight;
  }

  get value(): LabInsight | null {
    return this.insight;
  }

  hostConnected(): void {
    if (this.insight && !this.unsubscribe) this.unsubscribe = this.insight.subscribe(() => this.host.requestUpdate());
  }

  hostDisconnected(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }
}
