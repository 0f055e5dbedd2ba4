import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { LabState } from '../src/state/lab-state';
import { symbolSession, type SymbolSession } from '../src/symbols/session';
import { LabStateController } from './lab-context';
import { trainerFor } from './trainer-controller';

/**
 * The lab's symbol session for a cell: attaches once the lab state arrives, brings back what the browser kept,
 * re-renders the host on every change (and runs `onChange` first), unsubscribes on disconnect. Also follows whether
 * a training run is going on (teaching waits for it).
 */
export class SymbolSessionController implements ReactiveController {
  private readonly lab: LabStateController<'training'>;
  private session: SymbolSession | null = null;
  private unsubscribe: (() => void) | null = null;

  /**
   * @param backendReady resolves once the lab's backend runs (the cell's model has loaded): a kept model is rebuilt
   *   only then.
   */
  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly backendReady: () => Promise<unknown>,
    private readonly onChange: () => void = () => {},
  ) {
    this.lab = new LabStateController(host, ['training']);
    host.addController(this);
  }

  get state(): LabState | undefined {
    return this.lab.state;
  }

  /** The session, once the host is inside the lab. */
  get value(): SymbolSession | null {
    return this.session;
  }

  /** Why teaching must wait for a training run, or null. */
  get runGoingOn(): boolean {
    const training = this.lab.get('training');
    return training !== undefined && training.runId !== null;
  }

  trainer() {
    const state = this.lab.state;
    if (!state) throw new Error('This cell is not inside the lab, so it has no training worker.');
    return trainerFor(state);
  }

  private attach(): void {
    const state = this.lab.state;
    if (!state || this.unsubscribe) return;
    this.session = symbolSession(state);
    this.unsubscribe = this.session.subscribe(() => {
      this.onChange();
      this.host.requestUpdate();
    });
    void this.session.restore(this.backendReady().catch(() => undefined));
  }

  hostUpdate(): void {
    this.attach();
  }

  hostDisconnected(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }
}
