import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditService } from '../../audit/audit.service';
import { describeDevice } from '../../auth/device';
import { randomToken, sha256Hex } from '../../auth/secrets';
import type { AuthUser } from '../../common/auth/auth-user';
import { AppError, badRequest, conflict, forbidden, notFound, unprocessable, validationFailed } from '../../common/errors/app-error';
import { requestContext } from '../../common/request-context';
import { formatDateTime, formatDuration } from '../../common/money/prose-format';
import { AppConfig } from '../../config/config.service';
import { type Tx, UnitOfWork } from '../../database/unit-of-work';
import { MailService } from '../../notifications/mail.service';
import { AccountFreezeService } from '../../auth/security/account-freeze.service';
import { SecurityEventKind } from '../../auth/security/security-event-kinds';
import { SecurityNoticesService } from '../../auth/security/security-notices.service';
import { UsersReader } from '../../auth/users/users.reader';
import { checkWithdrawalAddress, WITHDRAWAL_RULES } from '../withdrawals/withdrawal-rules';
import {
  AddressBookDto,
  AddressBookLockResponseDto,
  CreateWithdrawalAddressDto,
  ConfirmWithdrawalAddressDto,
  WithdrawalAddressResponseDto,
} from './dto/withdrawal-address.dto';
import { addressStatus, toLockDto, toWithdrawalAddressDto } from './withdrawal-address.mapper';
import { WithdrawalAddressesRepository, type WithdrawalAddressRow } from './withdrawal-addresses.repository';
import { FailureLimiter } from '../../common/guards/failure-limiter';

/** Most saved (not removed) addresses per user. */
export const MAX_WITHDRAWAL_ADDRESSES = 20;
/** How long an emailed confirmation link works. */
export const ADDRESS_CONFIRM_TTL_MS = 24 * 3_600_000;

/**
 * The withdrawal address book (issue 16, item 4). Every withdrawal goes to a
 * saved address of the requester that is confirmed and past its hold:
 *
 * - adding one needs a step-up (the route's `@RequiresStepUp()`), is refused
 *   while the allowlist lock is on, and emails the owner a single-use link
 *   (only its hash is stored); the link opens a client page that confirms by
 *   an explicit `POST /addresses/confirm` — a GET of the link changes nothing,
 *   since mail scanners open links;
 * - a confirmed address is usable `ADDRESS_HOLD_HOURS` after confirmation, so
 *   an attacker who also reads the mailbox still leaves the owner a day to notice;
 * - the lock turns on at once; turning it off needs a step-up and takes effect
 *   after the same hold.
 */
@Injectable()
export class WithdrawalAddressesService implements OnModuleInit {
  private readonly logger = new Logger('WithdrawalAddresses');

  constructor(
    private readonly uow: UnitOfWork,
    private readonly addresses: WithdrawalAddressesRepository,
    private readonly users: UsersReader,
    private readonly mail: MailService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly notices: SecurityNoticesService,
    private readonly freezes: AccountFreezeService,
    private readonly failures: FailureLimiter,
  ) {}

  /** A "This wasn't me" freeze removes every address added since the event it reports. */
  onModuleInit(): void {
    this.freezes.registerRemover({ name: 'withdrawal_addresses', removeAddedSince: (tx, userId, since) => this.addresses.removeAddedSince(tx, userId, since) });
  }

  async list(userId: string): Promise<AddressBookDto> {
    const [rows, lock] = await Promise.all([this.addresses.listLive(userId), this.addresses.findLock(userId)]);
    const now = new Date();
    return {
      items: rows.map((r) => toWithdrawalAddressDto(r, now)),
      lock: toLockDto(lock, now),
      maxAddresses: MAX_WITHDRAWAL_ADDRESSES,
      holdSeconds: Math.round(this.config.values.addressHoldMs / 1000),
    };
  }

  async add(user: AuthUser, dto: CreateWithdrawalAddressDto): Promise<WithdrawalAddressResponseDto> {
    if (!WITHDRAWAL_RULES[dto.asset])
      throw unprocessable('UNKNOWN_ASSET', `${dto.asset} cannot be withdrawn (withdrawable: ${Object.keys(WITHDRAWAL_RULES).join(', ')})`);
    const check = checkWithdrawalAddress(dto.asset, dto.address, dto.network);
    if (!check.ok) throw validationFailed([{ field: check.message.startsWith('address') ? 'address' : 'network', message: check.message }]);
    const token = randomToken();
    const id = randomUUID();
    const row = await this.uow.run(async (tx) => {
      await this.addresses.serializeUser(tx, user.id);
      if (toLockDto(await this.addresses.findLock(user.id, tx)).enabled)
        throw forbidden(
          'ADDRESS_BOOK_LOCKED',
          'Your address book is locked: no address can be added until you turn the lock off (that takes effect after a hold)',
        );
      if (await this.addresses.findLiveDuplicate(tx, { userId: user.id, asset: dto.asset, network: check.network, address: dto.address }))
        throw conflict('ALREADY_EXISTS', 'This address is already in your address book');
      if ((await this.addresses.countLive(tx, user.id)) >= MAX_WITHDRAWAL_ADDRESSES)
        throw unprocessable('LIMIT_EXCEEDED', `An address book holds at most ${MAX_WITHDRAWAL_ADDRESSES} addresses; remove one first`);
      await this.addresses.insert(tx, {
        id,
        userId: user.id,
        label: dto.label,
        asset: dto.asset,
        network: check.network,
        address: dto.address,
        confirmTokenHash: sha256Hex(token),
        confirmExpiresAt: new Date(Date.now() + ADDRESS_CONFIRM_TTL_MS),
      });
      await this.audit.record(
        {
          action: 'wallet.address_added',
          userId: user.id,
          details: { addressId: id, label: dto.label, asset: dto.asset, network: check.network, address: dto.address },
        },
        tx,
      );
      const added = (await this.addresses.find(user.id, id, { tx }))!;
      // A security notice (in-app and by email, with its "This wasn't me" link), besides the confirmation link below.
      const notice = await this.notices.record(
        user.id,
        SecurityEventKind.WithdrawalAddressAdded,
        { label: dto.label, asset: dto.asset, network: check.network },
        { tx },
      );
      return { added, notice };
    });
    await this.notices.deliver(row.notice);
    await this.sendConfirmation(user.id, row.added, token);
    return { address: toWithdrawalAddressDto(row.added) };
  }

  /** Acts only on this explicit POST: the link's GET opens the client page and changes nothing. Works once. */
  async confirm(dto: ConfirmWithdrawalAddressDto): Promise<WithdrawalAddressResponseDto> {
    const row = await this.addresses.confirm(sha256Hex(dto.token), this.config.values.addressHoldMs);
    if (!row) {
      // Counted with the client address's failed credentials (FAILURE_LIMITS.credentials).
      await this.failures.countForClient('credentials');
      throw badRequest('VALIDATION_FAILED', 'The confirmation link is invalid, used or expired', [
        { field: 'token', message: 'invalid, used or expired; add the address again for a new link' },
      ]);
    }
    await this.audit.record({
      action: 'wallet.address_confirmed',
      userId: row.user_id,
      details: { addressId: row.id, usableFrom: new Date(row.usable_from!).toISOString() },
    });
    return { address: toWithdrawalAddressDto(row) };
  }

  /** Soft removal, at once (no hold: removing cannot help an attacker); a removed address can no longer be used. */
  async remove(userId: string, id: string): Promise<WithdrawalAddressResponseDto> {
    const row = await this.uow.run(async (tx) => {
      const removed = await this.addresses.remove(tx, userId, id);
      if (!removed) throw notFound('Saved address not found');
      await this.audit.record({ action: 'wallet.address_removed', userId, details: { addressId: id } }, tx);
      return removed;
    });
    return { address: toWithdrawalAddressDto(row) };
  }

  /** Turns the allowlist lock on, at once (and cancels a scheduled end). */
  async lock(userId: string): Promise<AddressBookLockResponseDto> {
    const row = await this.uow.run(async (tx) => {
      await this.addresses.serializeUser(tx, userId);
      const locked = await this.addresses.lock(tx, userId);
      await this.audit.record({ action: 'wallet.address_book_locked', userId }, tx);
      return locked;
    });
    return { lock: toLockDto(row) };
  }

  /** Schedules the end of the lock after the hold (the route needs a step-up); 409 when it is not on. */
  async unlock(userId: string): Promise<AddressBookLockResponseDto> {
    const row = await this.uow.run(async (tx) => {
      await this.addresses.serializeUser(tx, userId);
      const scheduled = await this.addresses.scheduleUnlock(tx, userId, this.config.values.addressHoldMs);
      if (!scheduled) throw conflict('INVALID_STATE', 'The address book is not locked');
      await this.audit.record(
        { action: 'wallet.address_book_unlock_scheduled', userId, details: { unlocksAt: new Date(scheduled.unlocks_at!).toISOString() } },
        tx,
      );
      return scheduled;
    });
    await this.notify(
      userId,
      'Address book lock turning off',
      `Your CryptoVault address book lock will turn off in ${formatDuration(new Date(row.unlocks_at!).getTime() - Date.now())} ` +
        `(${formatDateTime(row.unlocks_at!, { roundUp: true })}); from then on new withdrawal addresses can be added. ` +
        `If this was not you, turn the lock back on and change your password now.`,
    );
    return { lock: toLockDto(row) };
  }

  /**
   * The saved address a withdrawal goes to, checked: the user's, not removed,
   * for `asset`, confirmed and past its hold. Inside a withdrawal's transaction
   * pass `tx`: the row is share-locked, so it cannot be removed meanwhile.
   */
  async requireUsable(userId: string, id: string, asset: string, tx?: Tx): Promise<WithdrawalAddressRow> {
    const row = await this.addresses.find(userId, id, { tx, lock: tx !== undefined });
    if (!row) throw notFound('Saved address not found');
    const status = addressStatus(row);
    const field = (message: string) => [{ field: 'addressId', message }];
    if (status === 'removed') throw unprocessable('ADDRESS_REMOVED', 'This address was removed from your address book', field('removed'));
    if (row.asset !== asset) throw unprocessable('ADDRESS_ASSET_MISMATCH', `This address receives ${row.asset}, not ${asset}`, field(`receives ${row.asset}`));
    if (status === 'awaiting_confirmation')
      throw unprocessable('ADDRESS_NOT_CONFIRMED', 'Confirm this address with the link we emailed you before withdrawing to it', field('not confirmed'));
    if (status === 'on_hold') {
      const from = formatDateTime(row.usable_from!, { roundUp: true });
      throw new AppError(422, 'ADDRESS_ON_HOLD', `This address is new: it can be used from ${from}`, [{ field: 'addressId', message: `usable from ${from}` }]);
    }
    return row;
  }

  private async sendConfirmation(userId: string, a: WithdrawalAddressRow, token: string): Promise<void> {
    const ctx = requestContext.getStore();
    const link = `${this.config.values.appUrl}/wallet/addresses/confirm?token=${encodeURIComponent(token)}`;
    try {
      const to = await this.users.email(userId);
      if (!to) return;
      await this.mail.send({
        to,
        subject: 'Confirm your new withdrawal address',
        text:
          `A withdrawal address was added to your CryptoVault address book:\n\n` +
          `  Label:   ${a.label}\n  Asset:   ${a.asset}\n  Network: ${a.network}\n  Address: ${a.address}\n` +
          `  From:    ${describeDevice(ctx?.userAgent)}, IP ${ctx?.ip ?? 'unknown'}\n\n` +
          `If this was you, open this link and press "Confirm address" (the link works once, for ${formatDuration(ADDRESS_CONFIRM_TTL_MS)}):\n${link}\n\n` +
          `Once confirmed, the address can receive withdrawals ${this.afterHold()}.\n\n` +
          `If this was NOT you: do not open the link. Change your password now; someone else is signed in to your account.`,
      });
    } catch (e) {
      this.logger.error({ userId, addressId: a.id, err: (e as Error).message }, 'address confirmation mail failed');
    }
  }

  /** The address book hold as words: "24 hours later", or "at once" without a hold. */
  private afterHold(): string {
    const ms = this.config.values.addressHoldMs;
    return ms > 0 ? `${formatDuration(ms)} later` : 'at once';
  }

  private async notify(userId: string, subject: string, text: string): Promise<void> {
    try {
      const to = await this.users.email(userId);
      if (to) await this.mail.send({ to, subject, text });
    } catch (e) {
      this.logger.error({ userId, err: (e as Error).message }, 'address book mail failed');
    }
  }
}
