// The emulator's time: wall-clock time plus an offset that tests and /_emulator/clock move forward.
// Everything time-driven (job state transitions, expiry, quota windows) reads now() and schedules through at(),
// so advancing the clock fires what became due, in order, without any test sleeping.

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
  /** Cancels the armed timeout or immediate; unset once it has fired. */
  disarm?: () => void;
}

/** The latest time the clock may show (the end of year 9999), so every date it gives is a valid ISO-8601 one. */
export const MAX_CLOCK_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

export class Clock {
  private seq = 0;
  private readonly timers = new Set<Timer>();
  private offset: number;

  /**
   * `offset` restores an advanced clock after a restart; onAdvance persists it. An offset no advance could have
   * made (not a number, negative, or past MAX_CLOCK_TIME: a damaged data dir) is dropped, so it cannot stop the
   * emulator from starting or answering.
   */
  constructor(offset = 0, private readonly onAdvance?: (offset: number) => void) {
    const valid = Number.isFinite(offset) && offset >= 0 && Date.now() + offset <= MAX_CLOCK_TIME;
    if (!valid) console.warn(`bedrock-batch-emulator: ignoring a saved clock offset out of range (${String(offset).slice(0, 40)} ms); the clock starts at the current time`);
    this.offset = valid ? offset : 0;
  }

  now(): number {
    return Date.now() + this.offset;
  }

  date(): Date {
    return new Date(this.now());
  }

  /** Runs fn once the clock reaches `time` (ms since epoch); returns a cancel function. Infinity never fires. */
  at(time: number, fn: () => void): () => void {
    const timer: Timer = { at: time, seq: this.seq++, fn };
    this.timers.add(timer);
    this.arm(timer);
    return () => this.cancel(timer);
  }

  /** Moves time forward by ms and fires every timer that became due, earliest first. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError('advance needs a non-negative number of milliseconds');
    if (this.now() + ms > MAX_CLOCK_TIME) throw new RangeError('advance would move the clock past the end of year 9999');
    this.offset += ms;
    this.onAdvance?.(this.offset);
    this.fireDue();
    for (const timer of this.timers) this.arm(timer);
  }

  /** Whether a timer is due now (it fires on the next turn of the event loop). */
  hasDue(): boolean {
    const now = this.now();
    for (const timer of this.timers) if (timer.at <= now) return true;
    return false;
  }

  /** Cancels every pending timer (shutdown). */
  clear(): void {
    for (const timer of [...this.timers]) this.cancel(timer);
  }

  private arm(timer: Timer) {
    timer.disarm?.();
    if (!Number.isFinite(timer.at)) return;
    // setTimeout caps at ~24.8 days; re-arming on wake-up covers longer waits.
    const delay = Math.min(Math.max(0, timer.at - this.now()), 2 ** 31 - 1);
    // The handle is spent once it fires: a timer still not due then (timeouts may fire a millisecond early
    // against Date.now()) must be armed again, or it never fires — a paced job used to stall that way.
    const fire = () => {
      timer.disarm = undefined;
      this.fireDue();
    };
    // Due already (every state change with instant timing): on the next turn, not after setTimeout's 1 ms minimum.
    if (delay === 0) {
      const handle = setImmediate(fire).unref();
      timer.disarm = () => clearImmediate(handle);
    } else {
      const handle = setTimeout(fire, delay).unref();
      timer.disarm = () => clearTimeout(handle);
    }
  }

  private fireDue() {
    const now = this.now();
    const due = [...this.timers].filter((t) => t.at <= now).sort((a, b) => a.at - b.at || a.seq - b.seq);
    for (const timer of due) {
      this.cancel(timer);
      timer.fn();
    }
    for (const timer of this.timers) if (!timer.disarm && Number.isFinite(timer.at)) this.arm(timer);
  }

  private cancel(timer: Timer) {
    timer.disarm?.();
    timer.disarm = undefined;
    this.timers.delete(timer);
  }
}
