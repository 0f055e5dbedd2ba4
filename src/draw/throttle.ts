/**
 * "Latest request wins" with a throttle, for reading a drawing while it is drawn: at most one read runs at a time;
 * requests made meanwhile merge into one pending request, which runs when the current one ends. Final requests (end
 * of a stroke, undo, a picture) run as soon as nothing is in flight; live ones (mid-stroke) at most once per
 * interval. No DOM, no timers of its own: the clock is passed in, so it is tested with a fake one.
 */

/** One request to read the drawing. */
export interface ReadRequest {
  /** The drawing is complete for now: read it at once and announce the answer. */
  final: boolean;
  /** When the learner finished the input this request answers (for the latency figure), in the clock's ms. */
  since: number;
}

export interface ThrottleClock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const systemClock: ThrottleClock = {
  now: () => performance.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Merges a new request into the pending one: final if either is final; `since` is the newest final request's, or
 * (for live requests) the oldest pending one's.
 */
export function mergeRequest(pending: ReadRequest | null, next: ReadRequest): ReadRequest {
  if (next.final || !pending) return { final: next.final || (pending?.final ?? false), since: next.since };
  return { final: pending.final, since: pending.since };
}

/** How long a request must wait before it may run: 0 for final ones, otherwise until `interval` after the last run. */
export function throttleDelay(request: ReadRequest, lastRun: number, interval: number, now: number): number {
  return request.final ? 0 : Math.max(0, lastRun + interval - now);
}

export class LatestRequestThrottle {
  private pending: ReadRequest | null = null;
  private inFlight: Promise<void> | null = null;
  private timer: unknown = null;
  private lastRun = -Infinity;

  /**
   * @param work reads the drawing for one request; it should handle its own errors (a rejection is passed to
   *   `onError` and the next request still runs).
   */
  constructor(
    private readonly work: (request: ReadRequest) => Promise<void>,
    private readonly intervalMs: number,
    private readonly clock: ThrottleClock = systemClock,
    private readonly onError: (error: unknown) => void = (error) => console.error(error),
  ) {}

  /** Asks for a read; only the newest pending request is kept. */
  request(final: boolean, since = this.clock.now()): void {
    this.pending = mergeRequest(this.pending, { final, since });
    if (this.inFlight) return;
    this.stopTimer();
    const wait = throttleDelay(this.pending, this.lastRun, this.intervalMs, this.clock.now());
    if (wait === 0) this.runPending();
    else this.timer = this.clock.setTimeout(() => this.runPending(), wait);
  }

  /** Drops the pending request (a read in flight finishes; its caller decides whether its answer still counts). */
  cancel(): void {
    this.stopTimer();
    this.pending = null;
  }

  /** True while a read runs or one waits. */
  get busy(): boolean {
    return this.inFlight !== null || this.pending !== null;
  }

  private stopTimer(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private runPending(): void {
    this.timer = null;
    const request = this.pending;
    if (!request || this.inFlight) return;
    this.pending = null;
    this.lastRun = this.clock.now();
    this.inFlight = this.work(request)
      .catch((error: unknown) => this.onError(error))
      .finally(() => {
        this.inFlight = null;
        const next = this.pending;
        if (next) {
          this.pending = null;
          this.request(next.final, next.since);
        }
      });
  }
}
