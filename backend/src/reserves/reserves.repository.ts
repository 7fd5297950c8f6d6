import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Tx } from '../database/unit-of-work';
import type { PathStep, ProofVersion } from './merkle-sum-tree';

export type SnapshotStatus = 'published' | 'failed';
export type SnapshotTrigger = 'schedule' | 'admin';

/** A `reserve_snapshots` row (snake_case), as the database answers it. */
export interface SnapshotRow {
  id: string;
  status: SnapshotStatus;
  trigger: SnapshotTrigger;
  requested_by: string | null;
  taken_at: Date | null;
  root_hash: string | null;
  assets: string[];
  totals: string[];
  leaf_count: number;
  error: string | null;
  duration_ms: number;
  created_at: Date;
  /** How its leaves are hashed (merkle-sum-tree.ts): 1 before leaves named their account, 2 since. */
  proof_version: ProofVersion;
}

/** A `reserve_proofs` row. */
export interface ProofRow {
  snapshot_id: string;
  user_id: string;
  leaf_index: number;
  nonce: string;
  balances: string[];
  path: PathStep[];
}

/** Rows per INSERT of proofs (each carries its path as JSON: a few KB at most). */
const PROOFS_PER_INSERT = 1_000;

/** The `reserve_snapshots` and `reserve_proofs` tables (owned by reserves). */
@Injectable()
export class ReservesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The database's clock in the caller's transaction (in a snapshot: the time of the snapshot). */
  async now(tx: Tx): Promise<Date> {
    const [row] = (await tx.query(`SELECT now() AS now`)) as { now: Date }[];
    return new Date(row.now);
  }

  async insertSnapshot(
    tx: Tx,
    s: {
      id: string;
      status: SnapshotStatus;
      trigger: SnapshotTrigger;
      requestedBy: string | null;
      takenAt: Date | null;
      rootHash: string | null;
      assets: string[];
      totals: string[];
      leafCount: number;
      error: string | null;
      durationMs: number;
      proofVersion: ProofVersion;
    },
  ): Promise<SnapshotRow> {
    const [row] = (await tx.query(
      `INSERT INTO reserve_snapshots (id, status, trigger, requested_by, taken_at, root_hash, assets, totals, leaf_count, error, duration_ms, proof_version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING *`,
      [
        s.id,
        s.status,
        s.trigger,
        s.requestedBy,
        s.takenAt,
        s.rootHash,
        JSON.stringify(s.assets),
        JSON.stringify(s.totals),
        s.leafCount,
        s.error?.slice(0, 500) ?? null,
        Math.min(s.durationMs, 2_147_483_647),
        s.proofVersion,
      ],
    )) as SnapshotRow[];
    return row;
  }

  async insertProofs(
    tx: Tx,
    snapshotId: string,
    proofs: { userId: string; index: number; nonce: string; balances: string[]; path: PathStep[] }[],
  ): Promise<void> {
    for (let i = 0; i < proofs.length; i += PROOFS_PER_INSERT) {
      const part = proofs.slice(i, i + PROOFS_PER_INSERT);
      await tx.query(
        `INSERT INTO reserve_proofs (snapshot_id, user_id, leaf_index, nonce, balances, path)
         SELECT $1, u, i, n, b, p FROM unnest($2::uuid[], $3::int[], $4::varchar[], $5::jsonb[], $6::jsonb[]) AS t(u, i, n, b, p)`,
        [
          snapshotId,
          part.map((p) => p.userId),
          part.map((p) => p.index),
          part.map((p) => p.nonce),
          part.map((p) => JSON.stringify(p.balances)),
          part.map((p) => JSON.stringify(p.path)),
        ],
      );
    }
  }

  /** Deletes the proofs of every published snapshot but the newest `keep` (their roots and totals stay). */
  async pruneProofs(tx: Tx, keep: number): Promise<void> {
    await tx.query(
      `DELETE FROM reserve_proofs WHERE snapshot_id IN (
         SELECT id FROM reserve_snapshots WHERE status = 'published' ORDER BY created_at DESC, id DESC OFFSET $1)`,
      [keep],
    );
  }

  async latestPublished(): Promise<SnapshotRow | undefined> {
    const [row] = (await this.dataSource.query(
      `SELECT * FROM reserve_snapshots WHERE status = 'published' ORDER BY created_at DESC, id DESC LIMIT 1`,
    )) as SnapshotRow[];
    return row;
  }

  /** The newest snapshot of any outcome (the schedule waits an interval after a failed one too). */
  async latest(): Promise<SnapshotRow | undefined> {
    const [row] = (await this.dataSource.query(`SELECT * FROM reserve_snapshots ORDER BY created_at DESC, id DESC LIMIT 1`)) as SnapshotRow[];
    return row;
  }

  async proof(snapshotId: string, userId: string): Promise<ProofRow | undefined> {
    const [row] = (await this.dataSource.query(`SELECT * FROM reserve_proofs WHERE snapshot_id = $1 AND user_id = $2`, [snapshotId, userId])) as ProofRow[];
    return row;
  }
}
