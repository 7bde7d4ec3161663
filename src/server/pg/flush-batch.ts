/**
 * Response flushes deferred to the end of the event-loop turn, for every connection at once.
 * A request/response client (pgbench, a driver's pool) waits for each reply, so when a turn
 * has answered several connections their replies go out back to back: the client threads they
 * wake are then woken once for the lot rather than once per reply, which is most of what a
 * loopback send costs on a small virtual machine.
 */
import type { Timers } from '../../env/env.ts';

/** Something whose buffered output can be written now. */
export interface Flushable {
  flush(): void;
}

export class FlushBatch {
  private readonly timers: Timers;
  private dirty: Flushable[] = [];
  private scheduled = false;

  constructor(timers: Timers) {
    this.timers = timers;
  }

  /** Flushes `c` at the end of this turn (once, however often it is added). */
  add(c: Flushable): void {
    if (this.dirty.includes(c)) return;
    this.dirty.push(c);
    if (!this.scheduled) {
      this.scheduled = true;
      this.timers.nextTurn(this.run);
    }
  }

  private readonly run = (): void => {
    this.scheduled = false;
    const list = this.dirty;
    this.dirty = [];
    for (const c of list) c.flush();
  };
}
