import { Injectable, computed, inject, signal } from '@angular/core';
import { Api } from '../../api/api';
import { addWithdrawalAddress } from '../../api/fn/wallet/add-withdrawal-address';
import { listWithdrawalAddresses } from '../../api/fn/wallet/list-withdrawal-addresses';
import { lockAddressBook } from '../../api/fn/wallet/lock-address-book';
import { removeWithdrawalAddress } from '../../api/fn/wallet/remove-withdrawal-address';
import { unlockAddressBook } from '../../api/fn/wallet/unlock-address-book';
import type { AddressBookDto, CreateWithdrawalAddressDto, WithdrawalAddressDto } from '../../api/models';
import { silentErrors } from '../../core/http/http-context';

/**
 * The withdrawal address book: saved addresses with their status, and the
 * allowlist lock. The withdraw form offers the usable ones; the address book
 * page adds, removes and locks.
 */
@Injectable()
export class AddressBookStore {
  private readonly api = inject(Api);
  readonly book = signal<AddressBookDto | null>(null);
  readonly addresses = computed(() => this.book()?.items ?? []);

  async load(): Promise<void> {
    this.book.set(await this.api.invoke(listWithdrawalAddresses, {}));
  }

  /** Rejects with an ApiError (field messages for the form, STEP_UP_REQUIRED, ADDRESS_BOOK_LOCKED); no snackbar. */
  async add(body: CreateWithdrawalAddressDto): Promise<WithdrawalAddressDto> {
    const res = await this.api.invoke(addWithdrawalAddress, { body }, silentErrors());
    this.book.update((b) => (b ? { ...b, items: [res.address, ...b.items] } : b));
    return res.address;
  }

  async remove(id: string): Promise<void> {
    await this.api.invoke(removeWithdrawalAddress, { id });
    this.book.update((b) => (b ? { ...b, items: b.items.filter((a) => a.id !== id) } : b));
  }

  async lock(): Promise<void> {
    const res = await this.api.invoke(lockAddressBook, {});
    this.book.update((b) => (b ? { ...b, lock: res.lock } : b));
  }

  /** Rejects with an ApiError (STEP_UP_REQUIRED); no snackbar. */
  async unlock(): Promise<void> {
    const res = await this.api.invoke(unlockAddressBook, {}, silentErrors());
    this.book.update((b) => (b ? { ...b, lock: res.lock } : b));
  }
}

/** How an address's status reads to its owner. */
export function addressStatusText(a: WithdrawalAddressDto, formatDate: (iso: string) => string): string {
  switch (a.status) {
    case 'awaiting_confirmation':
      return $localize`Awaiting confirmation: open the link we emailed you`;
    case 'on_hold':
      return $localize`Usable from ${formatDate(a.usableFrom ?? '')}:date:`;
    case 'usable':
      return $localize`:withdrawal address status|status of a saved withdrawal address:Usable`;
    default:
      return $localize`:withdrawal address status|status of a saved withdrawal address:Removed`;
  }
}
