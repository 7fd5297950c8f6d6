import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type UserCountsRow, UsersReaderRepository } from './users-reader.repository';

export type { UserCountsRow };

/**
 * What another domain may know of a user account: its email (to write to
 * it), whether it exists, and the account row as a lock that serializes one
 * user's changes in a transaction (alerts, ledger adjustments); for the back
 * office, how many accounts there are.
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

  /** Whether `id` names an account; through `em` inside a transaction. */
  exists(id: string, em?: EntityManager): Promise<boolean> {
    return this.repo.exists(id, em);
  }

  /** Locks the account row for the rest of `em`'s transaction; false when there is none. */
  lockForUpdate(em: EntityManager, id: string): Promise<boolean> {
    return this.repo.lockForUpdate(em, id);
  }

  /** Accounts in total, verified, suspended, and active (a session used) in the last 7 days. */
  counts(): Promise<UserCountsRow> {
    return this.repo.counts();
  }
}
