// A stand-in for a Lit element in controller tests (Node, no DOM): it keeps its controllers, counts update requests
// and, given a lab state, answers the context request as <lab-app> does.
import type { ReactiveController } from 'lit';
import type { LabState } from '../../../src/state/lab-state';

export class FakeHost extends EventTarget {
  readonly controllers: ReactiveController[] = [];
  updates = 0;
  readonly updateComplete = Promise.resolve(true);

  /** Without a state the host is outside any lab: nobody answers its context request. */
  constructor(state?: LabState) {
    super();
    if (!state) return;
    this.addEventListener('context-request', (event) => {
      const request = event as Event & { callback: (value: LabState, unsubscribe?: () => void) => void };
      event.stopPropagation();
      request.callback(state, () => {});
    });
  }

  /** This host typed as the element a controller expects. */
  get element(): HTMLElement & FakeHost {
    return this as unknown as HTMLElement & FakeHost;
  }

  addController(controller: ReactiveController): void {
    this.controllers.push(controller);
  }
  removeController(): void {}
  requestUpdate(): void {
    this.updates++;
  }
  /** The host enters the page. */
  connect(): void {
    for (const c of this.controllers) c.hostConnected?.();
  }
  /** One render cycle, as Lit runs the controllers' hooks. */
  update(): void {
    for (const c of this.controllers) c.hostUpdate?.();
    for (const c of this.controllers) c.hostUpdated?.();
  }
}
