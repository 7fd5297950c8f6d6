export type BreakerState = 'closed' | 'open' | 'half_open';

/**
 * One per price source. Closed: the source may serve. Repeated errors, a
 * disconnect or silence open it; while open its data is ignored for
 * `cooldownMs`. After that the first good batch half-opens it and a second
 * consecutive good batch closes it again (the switch-back to a recovered
 * primary), so one lucky reply does not flap the feed.
 */
export class CircuitBreaker {
  private current: BreakerState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private lastReason = '';

  constructor(
    private readonly threshold: number,
    private readonly cooldownMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): BreakerState {
    return this.current;
  }

  get reason(): string {
    return this.lastReason;
  }

  /** A good batch. Returns true when the source may serve it. */
  success(): boolean {
    this.failures = 0;
    if (this.current === 'closed') return true;
    if (this.current === 'open') {
      if (this.now() - this.openedAt < this.cooldownMs) return false;
      this.current = 'half_open';
      return false;
    }
    this.current = 'closed';
    this.lastReason = '';
    return true;
  }

  /** A recoverable error; opens after `threshold` in a row (or at once while half-open). */
  failure(reason: string): void {
    this.failures++;
    if (this.current === 'half_open' || (this.current === 'closed' && this.failures >= this.threshold)) this.open(reason);
  }

  /** Disconnect or silence: the source cannot serve now. */
  trip(reason: string): void {
    if (this.current !== 'open') this.open(reason);
    else this.lastReason = reason;
  }

  private open(reason: string): void {
    this.current = 'open';
    this.openedAt = this.now();
    this.lastReason = reason;
  }
}
