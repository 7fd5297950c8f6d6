import { CircuitBreaker } from './circuit-breaker';

describe('CircuitBreaker', () => {
  let now = 0;
  const breaker = () => new CircuitBreaker(3, 1_000, () => now);

  beforeEach(() => (now = 0));

  it('opens after the threshold of consecutive errors and not before', () => {
    const b = breaker();
    b.failure('500');
    b.failure('500');
    expect(b.state).toBe('closed');
    b.failure('500');
    expect(b.state).toBe('open');
    expect(b.reason).toBe('500');
  });

  it('forgets errors after a good batch', () => {
    const b = breaker();
    b.failure('x');
    b.failure('x');
    expect(b.success()).toBe(true);
    b.failure('x');
    expect(b.state).toBe('closed');
  });

  it('ignores a tripped source during the cooldown, then needs two good batches to serve again', () => {
    const b = breaker();
    b.trip('disconnected');
    now = 500;
    expect(b.success()).toBe(false);
    expect(b.state).toBe('open');
    now = 1_000;
    expect(b.success()).toBe(false);
    expect(b.state).toBe('half_open');
    expect(b.success()).toBe(true);
    expect(b.state).toBe('closed');
  });

  it('reopens on an error while half-open', () => {
    const b = breaker();
    b.trip('silent');
    now = 2_000;
    b.success();
    b.failure('malformed');
    expect(b.state).toBe('open');
    now = 2_500;
    expect(b.success()).toBe(false);
  });
});
