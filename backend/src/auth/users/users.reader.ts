import { Injectable } from '@nestjs/common';
import type { Tx } from '../../database/unit-of-work';
import { type UserCountsRow, UsersReaderRepository } from './users-reader.repository';

export type { UserCountsRow };

/**
 * What another domain may know of a user account: its email (to write to
 * it), whether it exists, and the account row as a lock that serializes one
 * user's changes in a transaction (alerts, ledger adjustments), whether it was
 * closed; for the back office, how many accounts there are.
 */
@Injectable()
export class UsersReader {
  constructor(private readonly repo: UsersReaderRepository) {}

  /** The email of each id that names an account (unknown ids are left out). */
  emails(ids: readonly string[]): Promise<Map<string, string>> {
    return this.repo.emails(ids);
  }

  async email(id: string): Promise<string | undefined> {
    return (await this.repo.emails([id])).get(id);
  }

  /** The account holder's name and email as they stand (statements print them); undefined for no account. */
  holder(id: string): Promise<{ name: string; email: string } | undefined> {
    return this.repo.holder(id);
  }

  /** Whether `id` names an account; through `tx` inside a transaction. */
  exists(id: string, tx?: Tx): Promise<boolean> {
    return this.repo.exists(id, tx);
  }

  /** Whether the account is suspended by an admin (work done for the user without a request, such as recurring buys, stops then). */
  isSuspended(id: string): Promise<boolean> {
    return this.repo.isSuspended(id);
  }

  /**
   * Whether the account was closed (the user row stays, pseudonymised). Read after {@link lockForUpdate} in the same
   * transaction, it cannot change before the commit: a closure holds that lock while it decides and commits.
   */
  isClosed(id: string, tx?: Tx): Promise<boolean> {
    return this.repo.isClosed(id, tx);
  }

  /** Locks the account row for the rest of `tx`'s transaction; false when there is none. */
  lockForUpdate(tx: Tx, id: string): Promise<boolean> {
    return this.repo.lockForUpdate(tx, id);
  }

  /** Accounts in total, verified, suspended, and active (a session used) in the last 7 days. */
  counts(): Promise<UserCountsRow> {
    return this.repo.counts();
  }
}
