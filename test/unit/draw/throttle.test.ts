import { describe, expect, it } from 'vitest';
import { LatestRequestThrottle, mergeRequest, throttleDelay, type ReadRequest, type ThrottleClock } from '../../../src/draw/throttle';

/** A clock the test moves by hand: timers fire only in advance(). */
class FakeClock implements ThrottleClock {
  time = 1000;
  private timers: { at: number; run: () => void; id: number }[] = [];
  private nextId = 1;
  now = () => this.time;
  setTimeout = (run: () => void, ms: number) => {
    const id = this.nextId++;
    this.timers.push({ at: this.time + ms, run, id });
    return id;
  };
  clearTimeout = (handle: unknown) => {
    this.timers = this.timers.filter((t) => t.id !== handle);
  };
  get waiting(): number {
    return this.timers.length;
  }
  async advance(ms: number): Promise<void> {
    this.time += ms;
    for (const timer of this.timers.filter((t) => t.at <= this.time)) {
      this.timers = this.timers.filter((t) => t !== timer);
      timer.run();
    }
    await flush();
  }
}

const flush = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

/** A read that stays in flight until the test ends it. */
function controllableWork() {
  const runs: ReadRequest[] = [];
  let finish: (() => void) | null = null;
  const work = (request: ReadRequest) => {
    runs.push(request);
    return new Promise<void>((resolve) => (finish = resolve));
  };
  const end = async () => {
    finish?.();
    finish = null;
    await flush();
  };
  return { runs, work, end };
}

describe('merging and delaying requests', () => {
  it('keeps a request final once any merged request was final; since follows the newest final one', () => {
    expect(mergeRequest(null, { final: false, since: 5 })).toEqual({ final: false, since: 5 });
    expect(mergeRequest({ final: true, since: 5 }, { final: false, since: 9 })).toEqual({ final: true, since: 5 });
    expect(mergeRequest({ final: false, since: 5 }, { final: true, since: 9 })).toEqual({ final: true, since: 9 });
    expect(mergeRequest({ final: false, since: 5 }, { final: false, since: 9 })).toEqual({ final: false, since: 5 });
  });

  it('delays only live requests, until an interval after the last run', () => {
    expect(throttleDelay({ final: true, since: 0 }, 100, 80, 110)).toBe(0);
    expect(throttleDelay({ final: false, since: 0 }, 100, 80, 110)).toBe(70);
    expect(throttleDelay({ final: false, since: 0 }, 100, 80, 500)).toBe(0);
  });
});

describe('LatestRequestThrottle', () => {
  it('runs a first request at once, and live requests at most once per interval', async () => {
    const clock = new FakeClock();
    const { runs, work, end } = controllableWork();
    const throttle = new LatestRequestThrottle(work, 80, clock);
    throttle.request(false);
    expect(runs).toHaveLength(1);
    await end();
    await clock.advance(10);
    throttle.request(false);
    throttle.request(false);
    // Too soon after the last run: waits for the rest of the interval.
    expect(runs).toHaveLength(1);
    expect(clock.waiting).toBe(1);
    await clock.advance(69);
    expect(runs).toHaveLength(1);
    await clock.advance(1);
    expect(runs).toHaveLength(2);
    await end();
    expect(throttle.busy).toBe(false);
  });

  it('runs only the newest request after the one in flight, final if any was final', async () => {
    const clock = new FakeClock();
    const { runs, work, end } = controllableWork();
    const throttle = new LatestRequestThrottle(work, 80, clock);
    throttle.request(false, 1);
    throttle.request(false, 2);
    throttle.request(true, 3);
    throttle.request(false, 4);
    expect(runs).toEqual([{ final: false, since: 1 }]);
    expect(throttle.busy).toBe(true);
    await end();
    // The three requests made meanwhile became one, final, answering the final request's time.
    expect(runs).toEqual([
      { final: false, since: 1 },
      { final: true, since: 3 },
    ]);
    await end();
    expect(runs).toHaveLength(2);
    expect(throttle.busy).toBe(false);
  });

  it('a final request does not wait for the interval', async () => {
    const clock = new FakeClock();
    const { runs, work, end } = controllableWork();
    const throttle = new LatestRequestThrottle(work, 80, clock);
    throttle.request(false);
    await end();
    throttle.request(false);
    expect(runs).toHaveLength(1);
    throttle.request(true);
    expect(runs).toHaveLength(2);
    expect(runs[1].final).toBe(true);
    // The live request's timer was replaced, not left to run again.
    expect(clock.waiting).toBe(0);
    await end();
  });

  it('cancel drops what waits; a failed read is reported and the next request still runs', async () => {
    const clock = new FakeClock();
    const errors: unknown[] = [];
    let calls = 0;
    const throttle = new LatestRequestThrottle(
      async () => {
        calls++;
        if (calls === 1) throw new Error('boom');
      },
      80,
      clock,
      (error) => errors.push(error),
    );
    throttle.request(true);
    await flush();
    expect(errors).toEqual([new Error('boom')]);
    throttle.request(true);
    await flush();
    expect(calls).toBe(2);

    throttle.request(false);
    expect(clock.waiting).toBe(1);
    throttle.cancel();
    expect(clock.waiting).toBe(0);
    expect(throttle.busy).toBe(false);
    await clock.advance(200);
    expect(calls).toBe(2);
  });
});
