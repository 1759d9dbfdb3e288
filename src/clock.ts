/** Every service reads time from a Clock, so tests and the scheduler decide what "now" is. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
