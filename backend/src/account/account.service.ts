import { Injectable, Logger } from '@nestjs/common';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { AuditService } from '../audit/audit.service';
import { SessionsService } from '../auth/sessions.service';
import { UsersReader } from '../auth/users/users.reader';
import { AppError, type ErrorDetail, badRequest, conflict, notFound } from '../common/errors/app-error';
import { AppConfig } from '../config/config.service';
import { UnitOfWork } from '../database/unit-of-work';
import { type AccountExportRow, AccountRepository, type ClosureBlockersRow } from './account.repository';
import type { AccountClosedDto, AccountExportDto, AccountExportListDto, ClosureBlockerDto, ClosureStatusDto, ExportDownloadLinkDto } from './dto/account.dto';
import { appendErasure } from './erasure/erasure-journal';

const DAY_MS = 86_400_000;
const LIST_LIMIT = 20;
/** How long a download link works. */
export const DOWNLOAD_LINK_MS = 5 * 60_000;

const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);

export function toExportDto(r: AccountExportRow): AccountExportDto {
  return {
    id: r.id,
    status: r.status,
    progress: r.progress,
    sizeBytes: r.size_bytes,
    createdAt: new Date(r.created_at).toISOString(),
    completedAt: iso(r.completed_at),
    expiresAt: iso(r.expires_at),
    downloadedAt: iso(r.downloaded_at),
  };
}

function toBlockers(b: ClosureBlockersRow): ClosureBlockerDto[] {
  const out: ClosureBlockerDto[] = b.balances.map((x) => ({ kind: 'balance', asset: x.asset, available: x.available, locked: x.locked }));
  if (b.openOrders > 0) out.push({ kind: 'orders', count: b.openOrders });
  if (b.openWithdrawals > 0) out.push({ kind: 'withdrawals', count: b.openWithdrawals });
  if (b.openDeposits > 0) out.push({ kind: 'deposits', count: b.openDeposits });
  return out;
}

/** One detail of the 409 per blocker, for the field it is about (pushed one by one: the message catalogue's scanner follows them). */
function blockerDetails(blockers: ClosureBlockerDto[]): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  for (const b of blockers) {
    if (b.kind === 'balance') details.push({ field: `balances.${b.asset}`, message: 'Withdraw or sell this balance first' });
    if (b.kind === 'orders') details.push({ field: 'orders', message: 'Cancel your open orders first' });
    if (b.kind === 'withdrawals') details.push({ field: 'withdrawals', message: 'Wait for your withdrawals to complete, or cancel them, first' });
    if (b.kind === 'deposits') details.push({ field: 'deposits', message: 'Wait for your pending deposits to be credited or to expire first' });
  }
  return details;
}

/**
 * "Your data" (API.md "Your data"): data exports made in the background (AccountExportWorker), and closing an
 * account: refused while anything is left in it, else sessions end, standing instructions stop and personal data is
 * erased in one transaction (erasure/personal-data-erasure.repository.ts); the ledger and financial records stay.
 */
@Injectable()
export class AccountService {
  private readonly logger = new Logger('Account');

  constructor(
    private readonly config: AppConfig,
    private readonly uow: UnitOfWork,
    private readonly repo: AccountRepository,
    private readonly users: UsersReader,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
  ) {}

  /** Starts an export: one at a time, `ACCOUNT_EXPORTS_PER_DAY` in 24 hours (429 with Retry-After beyond). */
  async requestExport(userId: string): Promise<AccountExportDto> {
    const perDay = this.config.values.accountExportsPerDay;
    const row = await this.uow.run(async (tx) => {
      // The user's row lock keeps two requests at once from both passing the limits.
      if (!(await this.users.lockForUpdate(tx, userId))) throw notFound('The account no longer exists');
      const since = new Date(Date.now() - DAY_MS);
      const counts = await this.repo.exportCounts(tx, userId, since);
      if (counts.active > 0) throw conflict('EXPORT_IN_PROGRESS', 'An export of your data is already being made; wait until it is ready');
      if (counts.recent >= perDay) {
        const retryAfter = Math.max(1, Math.ceil((new Date(counts.oldestRecent!).getTime() + DAY_MS - Date.now()) / 1000));
        throw new AppError(429, 'RATE_LIMITED', 'You have requested the most exports of your data a day allows; try again later', undefined, {
          'Retry-After': String(retryAfter),
        });
      }
      const inserted = await this.repo.insertExport(tx, userId);
      await this.audit.record({ action: 'account.export_requested', userId, details: { exportId: inserted.id } }, tx);
      return inserted;
    });
    return toExportDto(row);
  }

  async listExports(userId: string): Promise<AccountExportListDto> {
    const rows = await this.repo.listExports(userId, LIST_LIMIT);
    return { items: rows.map(toExportDto), perDay: this.config.values.accountExportsPerDay, keptDays: this.config.values.accountExportTtlDays };
  }

  /**
   * A download link for one of the user's ready exports (the route asks for a step-up): it works for this session
   * only, for DOWNLOAD_LINK_MS. A stolen access token alone downloads nothing.
   */
  async downloadLink(caller: { id: string; sessionId: string }, id: string): Promise<ExportDownloadLinkDto> {
    await this.readyExport(caller.id, id);
    const exp = Date.now() + DOWNLOAD_LINK_MS;
    const token = `${exp}.${this.sign(id, caller.id, caller.sessionId, exp)}`;
    return { url: `/api/account/exports/${id}/download?token=${encodeURIComponent(token)}`, expiresAt: new Date(exp).toISOString() };
  }

  /** The zip of one of the user's exports, through a link of this session; another user's is 404, one not finished 409, one past its time 410. */
  async download(caller: { id: string; sessionId: string }, id: string, token: string): Promise<{ file: Buffer; filename: string }> {
    const userId = caller.id;
    const [expText, mac] = token.split('.');
    const exp = Number(expText);
    const expected = Number.isSafeInteger(exp) ? this.sign(id, userId, caller.sessionId, exp) : '';
    const given = Buffer.from(typeof mac === 'string' ? mac : '');
    const valid = expected.length > 0 && given.length === Buffer.byteLength(expected) && timingSafeEqual(given, Buffer.from(expected));
    if (!valid || exp < Date.now()) {
      throw new AppError(403, 'DOWNLOAD_LINK_INVALID', 'This download link is invalid or has expired; ask for a new one');
    }
    const row = await this.readyExport(userId, id);
    await this.repo.markDownloaded(id);
    await this.audit.record({ action: 'account.export_downloaded', userId, details: { exportId: id } });
    const day = new Date(row.created_at).toISOString().slice(0, 10);
    return { file: row.file!, filename: `cryptovault-data-${day}.zip` };
  }

  private async readyExport(userId: string, id: string): Promise<AccountExportRow & { file: Buffer | null }> {
    const row = await this.repo.exportWithFile(userId, id);
    if (!row) throw notFound('No such export');
    if (row.status === 'expired' || (row.expires_at && new Date(row.expires_at).getTime() <= Date.now())) {
      throw new AppError(410, 'EXPORT_EXPIRED', 'This export has expired; request a new one');
    }
    if (row.status !== 'ready' || !row.file) throw conflict('EXPORT_NOT_READY', 'This export is not ready yet');
    return row;
  }

  private sign(id: string, userId: string, sessionId: string, exp: number): string {
    return createHmac('sha256', this.linkKey).update(`${id}.${userId}.${sessionId}.${exp}`).digest('base64url');
  }

  private get linkKey(): Buffer {
    return createHmac('sha256', this.config.values.jwtSecret).update('cryptovault export-download key v1').digest();
  }

  async closureStatus(userId: string): Promise<ClosureStatusDto> {
    const blockers = await this.uow.run(async (tx) => toBlockers(await this.repo.closureBlockers(tx, userId)));
    return { canClose: blockers.length === 0, blockers };
  }

  /**
   * Closes the account: 400 unless `confirmEmail` is its email, 409 `ACCOUNT_NOT_EMPTY` (with what blocks, in
   * `details`) while a balance, an open order, withdrawal or deposit is left. Else, in one transaction: every
   * session ends, standing instructions stop, the personal data is erased (the ledger and financial records stay),
   * audited; then the erasure is appended to the journal a restore replays.
   */
  async close(user: { id: string; email: string }, confirmEmail: string): Promise<AccountClosedDto> {
    const userId = user.id;
    const at = new Date();
    await this.uow.run(async (tx) => {
      if (!(await this.users.lockForUpdate(tx, userId)) || (await this.repo.isClosed(userId, tx))) throw notFound('The account no longer exists');
      if (user.email.toLowerCase() !== confirmEmail.toLowerCase()) {
        throw badRequest('VALIDATION_FAILED', 'Type your email address to confirm', [
          { field: 'confirmEmail', message: 'This is not the email address of your account' },
        ]);
      }
      const blockers = toBlockers(await this.repo.closureBlockers(tx, userId));
      if (blockers.length > 0) {
        throw new AppError(
          409,
          'ACCOUNT_NOT_EMPTY',
          'Your account can be closed only when nothing is left in it: withdraw your balances and finish your open orders, withdrawals and deposits first',
          blockerDetails(blockers),
        );
      }
      // Recorded first, so the erasure takes its IP and device off it too.
      await this.audit.record({ action: 'account.closed', userId, details: { closedAt: at.toISOString() } }, tx);
      // Ends every session (reason account_closed) and moves tokens_valid_after, with the rest of the erasure.
      await this.repo.erase(tx, userId, at);
    });
    this.sessions.forgetUser(userId);
    try {
      await appendErasure(this.config.values.backup.dir, { userId, erasedAt: at.toISOString() });
    } catch (e) {
      // The closure stands; an operator appends the line by hand (docs/runbooks: the erasure journal).
      this.logger.error({ userId, err: (e as Error).message }, 'account closed, but the erasure journal could not be appended');
    }
    return { closedAt: at.toISOString(), message: 'Your account is closed. Your transaction records are kept as the law requires.' };
  }
}
