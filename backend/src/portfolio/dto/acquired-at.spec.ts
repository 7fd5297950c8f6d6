import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { acquiredAtProblem, MoveTrackedLotDto, TrackHoldingDto } from './portfolio.dto';

/** The purchase date of a tracked lot: from 2009 (anywhere on Earth) and not in the future, else 400 on `acquiredAt`. */
describe('acquiredAt of a tracked lot', () => {
  const now = Date.parse('2026-12-04T15:00:00Z');

  it('takes 1 January 2009 as picked in any time zone, and nothing earlier', () => {
    // Midnight on 1 January 2009 in Kiribati (UTC+14), the first place to reach it, and in Hawaii (UTC−10).
    expect(acquiredAtProblem('2009-01-01T00:00:00+14:00', now)).toBeNull();
    expect(acquiredAtProblem('2008-12-31T10:00:00Z', now)).toBeNull();
    expect(acquiredAtProblem('2009-01-01T00:00:00-10:00', now)).toBeNull();
    expect(acquiredAtProblem('2008-12-31T09:59:59.999Z', now)).toBe('Choose a purchase date in 2009 or later');
    expect(acquiredAtProblem('1970-01-01T00:00:00Z', now)).toBe('Choose a purchase date in 2009 or later');
  });

  it('takes now and a clock a few minutes fast, not later', () => {
    expect(acquiredAtProblem('2026-12-04T15:00:00Z', now)).toBeNull();
    expect(acquiredAtProblem('2026-12-04T15:05:00Z', now)).toBeNull();
    expect(acquiredAtProblem('2026-12-04T15:05:00.001Z', now)).toBe('Choose a purchase date that is not in the future');
    expect(acquiredAtProblem('2026-12-05T00:00:00Z', now)).toBe('Choose a purchase date that is not in the future');
  });

  it('answers each bad date with one message on the field, in both bodies', async () => {
    const messages = async (cls: new () => object, acquiredAt: unknown) => {
      const errors = await validate(plainToInstance(cls, { symbol: 'BTC', amount: '1', acquiredAt }) as object);
      return errors.filter((e) => e.property === 'acquiredAt').flatMap((e) => Object.values(e.constraints ?? {}));
    };
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    for (const cls of [TrackHoldingDto, MoveTrackedLotDto]) {
      expect(await messages(cls, '2025-03-01T00:00:00Z')).toEqual([]);
      expect(await messages(cls, tomorrow)).toEqual(['Choose a purchase date that is not in the future']);
      expect(await messages(cls, '2008-06-01T00:00:00Z')).toEqual(['Choose a purchase date in 2009 or later']);
      expect(await messages(cls, '2025-02-30T00:00:00Z')).toContain('Enter the purchase date as a date and time like 2025-03-01T00:00:00Z');
    }
    expect(await messages(TrackHoldingDto, undefined)).toEqual([]);
    expect(await messages(MoveTrackedLotDto, undefined)).toContain('Enter the purchase date as a date and time like 2025-03-01T00:00:00Z');
  });
});
