import { ContextConsumer, createContext } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { LabKey, LabState, LabStateMap } from '../src/state/lab-state';

/** The one lab state, provided by <lab-app> and consumed by every cell. */
export const labContext = createContext<LabState>(Symbol('digit-lab-state'));

/**
 * Gives a cell the lab state and re-renders it when any of `keys` changes; unsubscribes on disconnect.
 * `onChange` runs before the re-render, e.g. to mark a result stale.
 */
export class LabStateController<K extends LabKey> implements ReactiveController {
  private readonly consumer: ContextConsumer<{ __context__: LabState }, ReactiveControllerHost & HTMLElement>;
  private unsubscribe: (() => void) | null = null;
  private subscribedTo: LabState | null = null;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly keys: readonly K[],
    private readonly onChange?: (key: K) => void,
  ) {
    this.consumer = new ContextConsumer(host, {
      context: labContext,
      subscribe: true,
      callback: (state) => this.attach(state),
    });
    host.addController(this);
  }

  /** The lab state, once the cell is inside <lab-app>. */
  get state(): LabState | undefined {
    return this.consumer.value;
  }

  get<Key extends K>(key: Key): LabStateMap[Key] | undefined {
    return this.consumer.value?.get(key);
  }

  private attach(state: LabState): void {
    if (state === this.subscribedTo) return;
    this.unsubscribe?.();
    this.subscribedTo = state;
    this.unsubscribe = state.subscribe(this.keys, (key) => {
      this.onChange?.(key);
      this.host.requestUpdate();
    });
    this.host.requestUpdate();
  }

  hostConnected(): void {
    if (this.consumer.value && !this.unsubscribe) this.attach(this.consumer.value);
  }

  hostDisconnected(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.subscribedTo = null;
  }
}
