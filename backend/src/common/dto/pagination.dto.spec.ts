import { decodeCursor, encodeCursor } from './pagination.dto';
import { BigintIdPipe, isBigintId, UuidPipe } from '../pipes/id.pipes';

const raw = (at: string, id: string): string => Buffer.from(JSON.stringify([at, id])).toString('base64url');
const UUID = '0b7c9d3e-1f2a-4b5c-8d6e-7f8091a2b3c4';

describe('the cursor codec', () => {
  it('reads back what it issued, for uuid and bigint keys', () => {
    const at = new Date('2026-11-28T18:00:00.123Z');
    expect(decodeCursor(encodeCursor(at, UUID), 'uuid')).toEqual({ createdAt: at, id: UUID });
    expect(decodeCursor(encodeCursor(at, 9223372036854775807n.toString()), 'bigint')).toEqual({ createdAt: at, id: '9223372036854775807' });
    expect(decodeCursor(undefined, 'uuid')).toBeUndefined();
  });

  it.each([
    ['a non-UUID id on a uuid list', raw('2026-01-01T00:00:00.000Z', 'abc'), 'uuid'],
    ['36 dashes', raw('2026-01-01T00:00:00.000Z', '-'.repeat(36)), 'uuid'],
    ['a bigint past 2^63', raw('2026-01-01T00:00:00.000Z', '9999999999999999999'), 'bigint'],
    ['a negative id', raw('2026-01-01T00:00:00.000Z', '-1'), 'bigint'],
    ['a UUID on a bigint list', raw('2026-01-01T00:00:00.000Z', UUID), 'bigint'],
    ['a year PostgreSQL cannot hold', raw('-200000-01-01T00:00:00.000Z', UUID), 'uuid'],
    ['a year past 9999', raw('+275760-09-13T00:00:00.000Z', UUID), 'uuid'],
    ['a date that does not exist', raw('2026-02-30T00:00:00.000Z', UUID), 'uuid'],
    ['another date format', raw('2026-01-01', UUID), 'uuid'],
    ['not JSON', 'bm90IGpzb24', 'uuid'],
    ['a number for an id', Buffer.from(JSON.stringify(['2026-01-01T00:00:00.000Z', 5])).toString('base64url'), 'bigint'],
  ] as const)('refuses %s with 400 VALIDATION_FAILED on cursor', (_what, cursor, key) => {
    expect(() => decodeCursor(cursor, key)).toThrow(
      expect.objectContaining({
        status: 400,
        code: 'VALIDATION_FAILED',
        details: [{ field: 'cursor', message: 'This page link no longer works; start again from the first page' }],
      }),
    );
  });
});

describe('the id pipes', () => {
  it('pass well-formed ids and refuse the rest naming the parameter', () => {
    expect(new UuidPipe().transform(UUID, { type: 'param', data: 'id' })).toBe(UUID);
    expect(() => new UuidPipe().transform('-'.repeat(36), { type: 'param', data: 'orderId' })).toThrow(
      expect.objectContaining({ status: 400, details: [{ field: 'orderId', message: 'orderId must be a UUID' }] }),
    );
    expect(new BigintIdPipe().transform('42', { type: 'param', data: 'id' })).toBe('42');
    for (const bad of ['9223372036854775808', '9999999999999999999', '01', '-1', '1.5', '', 'abc']) expect(isBigintId(bad)).toBe(false);
    expect(isBigintId('9223372036854775807')).toBe(true);
  });
});
