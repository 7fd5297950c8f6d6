import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../common/auth/auth-user';
import { conflict, notFound } from '../common/errors/app-error';
import { rateLimited } from '../common/guards/rate-limit.guard';
import { cachedJson, type CachedJson } from '../common/http/cached-json';
import { RepeatingJob } from '../common/lifecycle/repeating-job';
import { AppConfig } from '../config/config.service';
import { UnitOfWork } from '../database/unit-of-work';
import { LedgerReader } from '../ledger/reader/ledger.reader';
import { DISTRIBUTED_LOCK, KV_STORE, type DistributedLock, type KeyValueStore } from '../redis/redis.interfaces';
import type { ReconciliationDto } from '../wallet/reconciliation/dto/reconciliation.dto';
import { ProviderReconciliationService } from '../wallet/reconciliation/provider-reconciliation.service';
import type { AdminReserveSnapshotDto, MyReserveProofDto, ProofOfReservesDto } from './dto/proof-of-reserves.dto';
import { fromUnits, PROOF_VERSION, toProof, UNIT_DECIMALS } from './merkle-sum-tree';
import { buildSnapshotTree, coverageRatio, type LedgerRead, reservesOf, type SnapshotTree } from './proof-of-reserves';
import { ReservesRepository, type SnapshotRow, type SnapshotTrigger } from './reserves.repository';

/** Held while a snapshot is built (released after): one build at a time across the deployment. */
const BUILD_LOCK = 'reserves:snapshot-build';
const BUILD_LEASE_MS = 15 * 60_000;
/** The schedule's lease, not released: it expires just before the next interval, so one instance runs per interval. */
const SCHEDULE_LOCK = 'reserves:snapshot-schedule';
const JOB = 'proof-of-reserves';
/** The first look a while after boot (it builds only when the last snapshot is older than the interval). */
const FIRST_LOOK_MS = 30_000;
const MAX_LOOK_MS = 3_600_000;
/** Admin-triggered snapshots across the deployment per hour (each reads every balance). */
const ADMIN_SNAPSHOTS_PER_HOUR = 10;
const ADMIN_BUDGET_KEY = 'reserves:admin-snapshots';
/** Published snapshots whose proofs are kept (older ones keep their root and totals). */
const KEEP_PROOFS = 7;
/** How long an instance serves the public figures before reading them again (its own snapshots refresh at once). */
const PUBLIC_CACHE_MS = 30_000;

const iso = (d: Date | string): string => new Date(d).toISOString();

function toAdminDto(r: SnapshotRow): AdminReserveSnapshotDto {
  return {
    id: r.id,
    status: r.status,
    trigger: r.trigger,
    takenAt: r.taken_at ? iso(r.taken_at) : null,
    rootHash: r.root_hash,
    leafCount: r.leaf_count,
    totals: r.assets.map((asset, i) => ({ asset, amount: fromUnits(BigInt(r.totals[i] ?? '0')) })),
    error: r.error,
    durationMs: r.duration_ms,
    createdAt: iso(r.created_at),
  };
}

/**
 * Proof of reserves (ARCHITECTURE.md "Proof of reserves"): a snapshot reads every user's balances in one consistent
 * database snapshot, builds the Merkle sum tree (merkle-sum-tree.ts), checks that its totals equal the ledger's
 * liabilities exactly, and publishes the root, the totals and each user's path. It runs every
 * PROOF_OF_RESERVES_INTERVAL_MS on one instance (a lease, and only when the last snapshot is older than the interval)
 * and when an admin asks. Reserves come from the latest external reconciliation (wallet's provider balance check).
 */
@Injectable()
export class ProofOfReservesService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ProofOfReserves');
  private readonly job: RepeatingJob;
  private publicCache?: { at: number; body: CachedJson };

  constructor(
    private readonly repo: ReservesRepository,
    private readonly ledger: LedgerReader,
    private readonly uow: UnitOfWork,
    private readonly reconciliations: ProviderReconciliationService,
    private readonly config: AppConfig,
    scheduler: SchedulerRegistry,
    @Inject(DISTRIBUTED_LOCK) private readonly lock: DistributedLock,
    @Inject(KV_STORE) private readonly kv: KeyValueStore,
    private readonly audit: AuditService,
  ) {
    this.job = new RepeatingJob(
      scheduler,
      JOB,
      () => this.tick(),
      () => Math.min(this.config.values.proofOfReservesIntervalMs, MAX_LOOK_MS),
    );
  }

  onApplicationBootstrap(): void {
    const every = this.config.values.proofOfReservesIntervalMs;
    if (every <= 0) return;
    this.job.start(Math.min(FIRST_LOOK_MS, every));
  }

  async onModuleDestroy(): Promise<void> {
    await this.job.stop();
  }

  /** An admin's snapshot: within the deployment's hourly budget, answered with the stored outcome; audited. */
  async snapshotNow(admin: AuthUser): Promise<AdminReserveSnapshotDto> {
    const budget = await this.kv.increment(ADMIN_BUDGET_KEY, 3_600_000);
    if (budget.count > ADMIN_SNAPSHOTS_PER_HOUR) throw rateLimited(budget.resetInMs);
    const row = await this.take('admin', admin.id);
    await this.audit.record({
      action: 'reserves.snapshot_taken',
      actorId: admin.id,
      details: { snapshotId: row.id, status: row.status, leafCount: row.leaf_count, rootHash: row.root_hash },
    });
    return toAdminDto(row);
  }

  /** The latest published snapshot with the reserves beside it (JSON bytes and ETag, cached a short while). */
  async published(): Promise<CachedJson> {
    if (this.publicCache && Date.now() - this.publicCache.at < PUBLIC_CACHE_MS) return this.publicCache.body;
    const body = cachedJson(await this.publishedDto());
    this.publicCache = { at: Date.now(), body };
    return body;
  }

  async publishedDto(): Promise<ProofOfReservesDto> {
    const snapshot = await this.repo.latestPublished();
    if (!snapshot) return { snapshot: null };
    const reconciliation = await this.latestReconciliation();
    const lines = new Map((reconciliation?.lines ?? []).map((l) => [l.asset, l]));
    return {
      snapshot: {
        id: snapshot.id,
        takenAt: iso(snapshot.taken_at!),
        publishedAt: iso(snapshot.created_at),
        rootHash: snapshot.root_hash!,
        leafCount: snapshot.leaf_count,
        unitDecimals: UNIT_DECIMALS,
        assets: snapshot.assets.map((asset, i) => {
          const units = snapshot.totals[i] ?? '0';
          const liabilities = fromUnits(BigInt(units));
          const reserves = reconciliation ? (reservesOf(lines.get(asset)) ?? '0') : null;
          return {
            asset,
            liabilities,
            liabilitiesUnits: units,
            reserves,
            reservesSource: reconciliation
              ? { provider: reconciliation.provider, checkedAt: reconciliation.createdAt, reconciliationId: reconciliation.id }
              : null,
            ratio: coverageRatio(reserves, liabilities),
          };
        }),
      },
    };
  }

  /**
   * The caller's leaf and path in the latest published snapshot: a version 2 proof names the caller's account (their
   * user id, which the leaf's hash covers); a snapshot taken before (version 1) gives a version 1 proof, naming none.
   */
  async myProof(user: AuthUser): Promise<MyReserveProofDto> {
    const snapshot = await this.repo.latestPublished();
    if (!snapshot) throw notFound('No proof-of-reserves snapshot has been published yet');
    const row = await this.repo.proof(snapshot.id, user.id);
    if (!row) throw notFound('Your account had no balance when the latest proof-of-reserves snapshot was taken, so it has no leaf in it');
    const proof = toProof(
      { id: snapshot.id, takenAt: iso(snapshot.taken_at!), assets: snapshot.assets, root: { hash: snapshot.root_hash!, sums: snapshot.totals } },
      { account: Number(snapshot.proof_version) >= 2 ? row.user_id : undefined, nonce: row.nonce, balances: row.balances, path: row.path },
    );
    return { balances: snapshot.assets.map((asset, i) => ({ asset, amount: fromUnits(BigInt(row.balances[i])) })), proof };
  }

  /** One snapshot under the build lease (409 while another instance or request builds one). */
  async take(trigger: SnapshotTrigger, requestedBy: string | null = null): Promise<SnapshotRow> {
    const token = await this.lock.acquire(BUILD_LOCK, BUILD_LEASE_MS);
    if (!token) throw conflict('INVALID_STATE', 'A proof-of-reserves snapshot is being taken; try again in a minute');
    try {
      return await this.build(trigger, requestedBy);
    } finally {
      await this.lock.release(BUILD_LOCK, token).catch(() => undefined);
    }
  }

  private async build(trigger: SnapshotTrigger, requestedBy: string | null): Promise<SnapshotRow> {
    const started = Date.now();
    const id = randomUUID();
    // One REPEATABLE READ, READ ONLY transaction: the balances, the liabilities and the time are of the same moment.
    // Reads and writes that grow with the number of users: not cut at the statement timeout (UnitOfWork `unbounded`).
    const { takenAt, ...read } = await this.uow.snapshot(
      async (tx): Promise<LedgerRead & { takenAt: Date }> => ({
        takenAt: await this.repo.now(tx),
        balances: await this.ledger.userBalances(tx),
        liabilities: await this.ledger.userLiabilities(tx),
      }),
      { unbounded: true },
    );
    let built: SnapshotTree | undefined;
    let error: string | null = null;
    try {
      built = buildSnapshotTree(id, read);
    } catch (e) {
      error = (e as Error).message;
    }
    const tree = built?.tree;
    const row = await this.uow.run(
      async (tx) => {
        const r = await this.repo.insertSnapshot(tx, {
          id,
          status: tree ? 'published' : 'failed',
          trigger,
          requestedBy,
          takenAt,
          rootHash: tree ? tree.root.hash.toString('hex') : null,
          assets: built?.assets ?? [],
          totals: tree ? tree.root.sums.map(String) : [],
          leafCount: tree?.leaves.length ?? 0,
          error,
          durationMs: Date.now() - started,
          proofVersion: PROOF_VERSION,
        });
        if (tree) {
          await this.repo.insertProofs(
            tx,
            id,
            tree.leaves.map((l) => ({ userId: l.key, index: l.index, nonce: l.nonce.toString('hex'), balances: l.balances.map(String), path: l.path })),
          );
          await this.repo.pruneProofs(tx, KEEP_PROOFS);
        }
        return r;
      },
      undefined,
      { unbounded: true },
    );
    if (tree) {
      this.publicCache = undefined;
      this.logger.log(
        { trigger, snapshotId: id, leaves: row.leaf_count, root: row.root_hash, durationMs: row.duration_ms },
        'proof of reserves: snapshot published',
      );
    } else {
      this.logger.error({ trigger, snapshotId: id, err: error }, 'proof of reserves: the snapshot does not reconcile to the ledger; nothing published');
    }
    return row;
  }

  /** The newest reconciliation that read the provider (an `error` run has no balances). */
  private async latestReconciliation(): Promise<ReconciliationDto | undefined> {
    const page = await this.reconciliations.list({ limit: 20 });
    return page.items.find((r) => r.status !== 'error');
  }

  /** Builds when the last snapshot is older than the interval, on the one instance holding the schedule's lease. */
  private async tick(): Promise<void> {
    const every = this.config.values.proofOfReservesIntervalMs;
    try {
      const latest = await this.repo.latest();
      if (latest && Date.now() - new Date(latest.created_at).getTime() < every - 250) return;
      if (!(await this.lock.acquire(SCHEDULE_LOCK, Math.max(500, every - 250)))) return;
      if (!this.job.isStopped) await this.take('schedule');
    } catch (e) {
      this.logger.warn({ err: (e as Error).message }, 'proof of reserves: the snapshot could not be taken; the next look tries again');
    }
  }
}
