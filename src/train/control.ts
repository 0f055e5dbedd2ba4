/**
 * Pause, resume and stop for a training run, usable from a button or a test. Stop is an AbortSignal, so any
 * long work that takes a signal stops with it.
 */
export class TrainControl {
  private readonly abort = new AbortController();
  private pausedAt: number | null = null;
  private pausedTotal = 0;
  private wake: (() => void) | null = null;
  private batchInHand = false;
  private settledWaiters: (() => void)[] = [];
  private stopReason = 'Stopped by you.';

  constructor(private readonly now: () => number = () => performance.now()) {}

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  get paused(): boolean {
    return this.pausedAt !== null;
  }

  get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  get reason(): string {
    return this.stopReason;
  }

  /** Milliseconds spent paused so far (not counted in speed or duration). */
  get pausedMs(): number {
    return this.pausedTotal + (this.pausedAt === null ? 0 : this.now() - this.pausedAt);
  }

  pause(): void {
    if (this.pausedAt === null && !this.stopped) this.pausedAt = this.now();
  }

  resume(): void {
    if (this.pausedAt === null) return;
    this.pausedTotal += this.now() - this.pausedAt;
    this.pausedAt = null;
    this.wake?.();
    this.wake = null;
  }

  stop(reason = 'Stopped by you.'): void {
    if (this.stopped) return;
    this.stopReason = reason;
    this.resume();
    this.abort.abort(new Error(reason));
  }

  /**
   * The training loop marks the span from a batch's start until its figures are sent (on a GPU, a few batches read
   * together): Pause is acknowledged at its end, so that no batch is reported after the page shows "paused".
   */
  setBatchInHand(inHand: boolean): void {
    this.batchInHand = inHand;
    if (inHand) return;
    const waiters = this.settledWaiters;
    this.settledWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Resolves once no batch is in hand: at once outside the batches, else when the batch in hand is reported. */
  async batchSettled(): Promise<void> {
    if (!this.batchInHand) return;
    await new Promise<void>((resolve) => this.settledWaiters.push(resolve));
  }

  /** Resolves at once unless paused; then when resumed or stopped. */
  async waitWhilePaused(): Promise<void> {
    while (this.pausedAt !== null && !this.stopped) {
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }
}
