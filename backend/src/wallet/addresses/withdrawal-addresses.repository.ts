import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { queryRows } from '../../database/rows';
import type { Tx } from '../../database/unit-of-work';

/** A `withdrawal_addresses` row as the service reads it. */
export interface WithdrawalAddressRow {
  id: string;
  user_id: string;
  label: string;
  asset: string;
  network: string;
  address: string;
  created_at: Date | string;
  confirmed_at: Date | string | null;
  usable_from: Date | string | null;
  removed_at: Date | string | null;
}

/** A `withdrawal_address_locks` row. */
export interface AddressLockRow {
  user_id: string;
  locked_at: Date | string;
  unlocks_at: Date | string | null;
}

export interface NewWithdrawalAddress {
  id: string;
  userId: string;
  label: string;
  asset: string;
  network: string;
  address: string;
  confirmTokenHash: string;
  confirmExpiresAt: Date;
}

const COLUMNS = `id, user_id, label, asset, network, address, created_at, confirmed_at, usable_from, removed_at`;

/** The `withdrawal_addresses` and `withdrawal_address_locks` tables (owned by wallet). */
@Injectable()
export class WithdrawalAddressesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Serialises one user's address-book changes until `tx` ends (the count limit and the lock cannot be raced). */
  async serializeUser(tx: Tx, userId: string): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`address-book:${userId}`]);
  }

  /** The user's addresses that are not removed, newest first. */
  async listLive(userId: string, tx?: Tx): Promise<WithdrawalAddressRow[]> {
    return (tx ?? this.dataSource).query(
      `SELECT ${COLUMNS} FROM withdrawal_addresses WHERE user_id = $1 AND removed_at IS NULL ORDER BY created_at DESC, id DESC`,
      [userId],
    );
  }

  async countLive(tx: Tx, userId: string): Promise<number> {
    const [{ n }] = (await tx.query(`SELECT count(*)::int AS n FROM withdrawal_addresses WHERE user_id = $1 AND removed_at IS NULL`, [userId])) as {
      n: number;
    }[];
    return n;
  }

  /** The live address with this asset, network and address, if the user has one. */
  async findLiveDuplicate(tx: Tx, a: { userId: string; asset: string; network: string; address: string }): Promise<WithdrawalAddressRow | undefined> {
    const [row] = (await tx.query(
      `SELECT ${COLUMNS} FROM withdrawal_addresses WHERE user_id = $1 AND asset = $2 AND network = $3 AND address = $4 AND removed_at IS NULL`,
      [a.userId, a.asset, a.network, a.address],
    )) as WithdrawalAddressRow[];
    return row;
  }

  async insert(tx: Tx, a: NewWithdrawalAddress): Promise<void> {
    await tx.query(
      `INSERT INTO withdrawal_addresses (id, user_id, label, asset, network, address, confirm_token_hash, confirm_expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [a.id, a.userId, a.label, a.asset, a.network, a.address, a.confirmTokenHash, a.confirmExpiresAt],
    );
  }

  /** One of the user's addresses (removed ones too); through `tx` and share-locked against removal when `lock` is set. */
  async find(userId: string, id: string, opts: { tx?: Tx; lock?: boolean } = {}): Promise<WithdrawalAddressRow | undefined> {
    const [row] = (await (opts.tx ?? this.dataSource).query(
      `SELECT ${COLUMNS} FROM withdrawal_addresses WHERE id = $1 AND user_id = $2${opts.lock ? ' FOR SHARE' : ''}`,
      [id, userId],
    )) as WithdrawalAddressRow[];
    return row;
  }

  /**
   * Confirms the live, unconfirmed address whose link token has this hash and
   * has not expired, once: the token is cleared, `usable_from` set `holdMs`
   * after now. Undefined when no such address (unknown, used, expired, removed).
   */
  async confirm(tokenHash: string, holdMs: number): Promise<WithdrawalAddressRow | undefined> {
    const [row] = await queryRows<WithdrawalAddressRow>(
      this.dataSource,
      `UPDATE withdrawal_addresses
          SET confirmed_at = date_trunc('milliseconds', now()),
              usable_from = date_trunc('milliseconds', now()) + make_interval(secs => $2::double precision / 1000),
              confirm_token_hash = NULL, confirm_expires_at = NULL
        WHERE confirm_token_hash = $1 AND confirmed_at IS NULL AND removed_at IS NULL AND confirm_expires_at > now()
        RETURNING ${COLUMNS}`,
      [tokenHash, holdMs],
    );
    return row;
  }

  /** Soft-removes one of the user's live addresses (its pending link dies with it); undefined when there is none. */
  async remove(tx: Tx, userId: string, id: string): Promise<WithdrawalAddressRow | undefined> {
    const [row] = await queryRows<WithdrawalAddressRow>(
      tx,
      `UPDATE withdrawal_addresses SET removed_at = date_trunc('milliseconds', now()), confirm_token_hash = NULL, confirm_expires_at = NULL
        WHERE id = $1 AND user_id = $2 AND removed_at IS NULL
        RETURNING ${COLUMNS}`,
      [id, userId],
    );
    return row;
  }

  /** Soft-removes every live address of the user added at or after `since` (a "This wasn't me" freeze); how many. */
  async removeAddedSince(tx: Tx, userId: string, since: Date): Promise<number> {
    const rows = await queryRows<{ id: string }>(
      tx,
      `UPDATE withdrawal_addresses SET removed_at = date_trunc('milliseconds', now()), confirm_token_hash = NULL, confirm_expires_at = NULL
        WHERE user_id = $1 AND created_at >= $2 AND removed_at IS NULL
        RETURNING id`,
      [userId, since],
    );
    return rows.length;
  }

  async findLock(userId: string, tx?: Tx): Promise<AddressLockRow | undefined> {
    const [row] = (await (tx ?? this.dataSource).query(`SELECT user_id, locked_at, unlocks_at FROM withdrawal_address_locks WHERE user_id = $1`, [
      userId,
    ])) as AddressLockRow[];
    return row;
  }

  /** Turns the lock on now (a pending unlock is cancelled); an unlock already in effect counts as off, so it restarts. */
  async lock(tx: Tx, userId: string): Promise<AddressLockRow> {
    const [row] = await queryRows<AddressLockRow>(
      tx,
      `INSERT INTO withdrawal_address_locks (user_id, locked_at, unlocks_at) VALUES ($1, date_trunc('milliseconds', now()), NULL)
       ON CONFLICT (user_id) DO UPDATE SET
         locked_at = CASE WHEN withdrawal_address_locks.unlocks_at IS NOT NULL AND withdrawal_address_locks.unlocks_at <= now()
                          THEN EXCLUDED.locked_at ELSE withdrawal_address_locks.locked_at END,
         unlocks_at = NULL
       RETURNING user_id, locked_at, unlocks_at`,
      [userId],
    );
    return row;
  }

  /** Schedules the lock to end `holdMs` from now, unless an earlier end is already scheduled; undefined when it is not on. */
  async scheduleUnlock(tx: Tx, userId: string, holdMs: number): Promise<AddressLockRow | undefined> {
    const [row] = await queryRows<AddressLockRow>(
      tx,
      `UPDATE withdrawal_address_locks
          SET unlocks_at = coalesce(unlocks_at, date_trunc('milliseconds', now()) + make_interval(secs => $2::double precision / 1000))
        WHERE user_id = $1 AND (unlocks_at IS NULL OR unlocks_at > now())
        RETURNING user_id, locked_at, unlocks_at`,
      [userId, holdMs],
    );
    return row;
  }
}
