import type { Clock } from '../../src/clock.js';

/** A clock the test moves by hand; the app reads it for every rule that depends on time. */
export class TestClock implements Clock {
  constructor(private current: Date) {}
  now = () => new Date(this.current);
  set(at: Date | string) {
    this.current = new Date(at);
  }
  advance(ms: number) {
    this.current = new Date(this.current.getTime() + ms);
  }
}
