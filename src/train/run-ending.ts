/** How the page ends a run itself (a lost GPU context, a Stop the worker cannot take up in time). */

/** Why the page ended a run itself. */
export interface RunEnd {
  kind: 'context-lost' | 'stopped';
  message: string;
}

/** One run's way out from the page: asked once (`end`), and `finished` when the run is over whichever way. */
export class RunEnding {
  private settled = false;
  private resolveEnd: (end: RunEnd) => void = () => {};
  private resolveFinished: () => void = () => {};
  readonly requested = new Promise<RunEnd>((resolve) => (this.resolveEnd = resolve));
  readonly finished = new Promise<void>((resolve) => (this.resolveFinished = resolve));

  end(end: RunEnd): void {
    if (this.settled) return;
    this.settled = true;
    this.resolveEnd(end);
  }

  finish(): void {
    this.settled = true;
    this.resolveFinished();
  }
}

