import type { AddressBookLockDto, WithdrawalAddressDto, WithdrawalAddressStatus } from './dto/withdrawal-address.dto';
import type { AddressLockRow, WithdrawalAddressRow } from './withdrawal-addresses.repository';

const iso = (d: Date | string): string => new Date(d).toISOString();
const isoOrNull = (d: Date | string | null): string | null => (d === null ? null : iso(d));

/** Where the address stands at `now`. */
export function addressStatus(r: WithdrawalAddressRow, now = new Date()): WithdrawalAddressStatus {
  if (r.removed_at !== null) return 'removed';
  if (r.confirmed_at === null || r.usable_from === null) return 'awaiting_confirmation';
  return new Date(r.usable_from).getTime() > now.getTime() ? 'on_hold' : 'usable';
}

export function toWithdrawalAddressDto(r: WithdrawalAddressRow, now = new Date()): WithdrawalAddressDto {
  return {
    id: r.id,
    label: r.label,
    asset: r.asset,
    network: r.network,
    address: r.address,
    status: addressStatus(r, now),
    createdAt: iso(r.created_at),
    confirmedAt: isoOrNull(r.confirmed_at),
    usableFrom: isoOrNull(r.usable_from),
    removedAt: isoOrNull(r.removed_at),
  };
}

/** The lock is on from `locked_at` until `unlocks_at` (when one is scheduled) has passed. */
export function toLockDto(r: AddressLockRow | undefined, now = new Date()): AddressBookLockDto {
  if (!r) return { enabled: false, disablesAt: null };
  if (r.unlocks_at !== null && new Date(r.unlocks_at).getTime() <= now.getTime()) return { enabled: false, disablesAt: null };
  return { enabled: true, disablesAt: isoOrNull(r.unlocks_at) };
}
