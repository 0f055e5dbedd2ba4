/**
 * What the page-side services (the trainer, the inspection service, the symbol session) share with the views that
 * follow them: a version that bumps on every change (their state is mutated in place) and listeners told of it.
 */
export class ChangeNotifier {
  private readonly listeners = new Set<() => void>();
  /** Bumps on every change: views that show state mutated in place re-render on it. */
  version = 0;

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Forgets every listener (the service is going away). */
  protected unsubscribeAll(): void {
    this.listeners.clear();
  }

  protected emit(): void {
    this.version++;
    for (const l of [...this.listeners]) l();
  }
}
