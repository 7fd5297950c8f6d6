import { addressStatus, toLockDto, toWithdrawalAddressDto } from './withdrawal-address.mapper';
import type { WithdrawalAddressRow } from './withdrawal-addresses.repository';

const now = new Date('2026-12-02T12:00:00.000Z');
const row: WithdrawalAddressRow = {
  id: '0d5a4c1e-1b2c-4d3e-8f90-a1b2c3d4e5f6',
  user_id: 'c0ffee00-0000-4000-8000-000000000001',
  label: 'Cold wallet',
  asset: 'BTC',
  network: 'bitcoin',
  address: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
  created_at: new Date('2026-12-01T09:00:00.000Z'),
  confirmed_at: null,
  usable_from: null,
  removed_at: null,
};

describe('withdrawal address mapper', () => {
  it('says an unconfirmed address awaits confirmation, whatever the time', () => {
    expect(addressStatus(row, now)).toBe('awaiting_confirmation');
  });

  it('holds a confirmed address until usableFrom, then makes it usable', () => {
    const confirmed = { ...row, confirmed_at: '2026-12-02T11:00:00.000Z', usable_from: '2026-12-03T11:00:00.000Z' };
    expect(toWithdrawalAddressDto(confirmed, now)).toMatchObject({ status: 'on_hold', usableFrom: '2026-12-03T11:00:00.000Z' });
    expect(addressStatus(confirmed, new Date('2026-12-03T11:00:00.000Z'))).toBe('usable');
  });

  it('says removed once removed, even when it had been usable', () => {
    expect(addressStatus({ ...row, confirmed_at: now, usable_from: now, removed_at: now }, now)).toBe('removed');
  });

  it('keeps the lock on until a scheduled end has passed', () => {
    expect(toLockDto(undefined, now)).toEqual({ enabled: false, disablesAt: null });
    const lock = { user_id: row.user_id, locked_at: '2026-12-01T00:00:00.000Z', unlocks_at: null };
    expect(toLockDto(lock, now)).toEqual({ enabled: true, disablesAt: null });
    const ending = { ...lock, unlocks_at: '2026-12-02T13:00:00.000Z' };
    expect(toLockDto(ending, now)).toEqual({ enabled: true, disablesAt: '2026-12-02T13:00:00.000Z' });
    expect(toLockDto(ending, new Date('2026-12-02T13:00:00.000Z'))).toEqual({ enabled: false, disablesAt: null });
  });
});
