import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { AuditService } from '../../audit/audit.service';
import type { AuthUser } from '../../common/auth/auth-user';
import { AppError, conflict, notFound, unauthenticated, unprocessable } from '../../common/errors/app-error';
import { AppConfig } from '../../config/config.service';
import { type Tx, UnitOfWork } from '../../database/unit-of-work';
import { AccountFreezeService } from '../security/account-freeze.service';
import { SecurityEventKind, SecurityHoldReason } from '../security/security-event-kinds';
import { SecurityHoldService } from '../security/security-hold.service';
import { SecurityNoticesService } from '../security/security-notices.service';
import { UsersRepository } from '../users/users.repository';
import {
  PasskeyAssertionDto,
  PasskeyCreationOptionsResponseDto,
  PasskeyDto,
  PasskeyListResponseDto,
  PasskeyRequestOptionsResponseDto,
  PasskeyResponseDto,
  RegisterPasskeyDto,
} from './dto/passkey.dto';
import { type ChallengePurpose, type IssuedChallenge, PasskeyChallenges } from './passkey-challenges';
import { type PasskeyRow, PasskeysRepository } from './passkeys.repository';
import {
  authenticationOptions,
  challengeOf,
  registrationOptions,
  type RelyingParty,
  relyingPartyFor,
  userIdOfHandle,
  verifyAssertion,
  verifyRegistration,
  WebAuthnRefusal,
} from './webauthn';

/** Passkeys an account may hold at once. */
export const MAX_PASSKEYS = 10;

export const passkeyInvalid = (): AppError => unauthenticated('PASSKEY_INVALID', 'The passkey could not be verified; try again');

export function toPasskeyDto(row: PasskeyRow): PasskeyDto {
  return {
    id: row.id,
    name: row.name,
    createdAt: new Date(row.created_at).toISOString(),
    lastUsedAt: row.last_used_at ? new Date(row.last_used_at).toISOString() : null,
  };
}

/**
 * An assertion whose challenge has been taken and whose passkey is known,
 * not yet verified: `verify` settles it. Lets sign-in look at the account
 * (lockout, suspension) between finding the passkey and checking it.
 */
export interface PendingAssertion {
  passkey: PasskeyRow;
  issued: IssuedChallenge;
  challenge: string;
  response: AuthenticationResponseJSON;
}

/**
 * Passkeys (WebAuthn): registration (several per account, named), listing,
 * renaming and removal, and the checks of assertions for a passwordless
 * sign-in and as a second factor. Challenges are single use (PasskeyChallenges);
 * the RP ID and the origin come from APP_URL. Adding or removing a passkey is a
 * security change: refused on a frozen account, a security notice (with its
 * "This wasn't me" link), and the security hold on withdrawals; a freeze
 * removes every passkey added since the event it reports.
 */
@Injectable()
export class PasskeysService implements OnModuleInit {
  private readonly logger = new Logger('Passkeys');
  private readonly rp: RelyingParty;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly repo: PasskeysRepository,
    private readonly users: UsersRepository,
    private readonly challenges: PasskeyChallenges,
    private readonly audit: AuditService,
    private readonly notices: SecurityNoticesService,
    private readonly holds: SecurityHoldService,
    private readonly freezes: AccountFreezeService,
    config: AppConfig,
  ) {
    this.rp = relyingPartyFor(config.values.appUrl);
  }

  /** A "This wasn't me" freeze removes every passkey added since the event it reports. */
  onModuleInit(): void {
    this.freezes.registerRemover({ name: 'passkeys', removeAddedSince: (tx, userId, since) => this.removeAddedSince(tx, userId, since) });
  }

  /** Options for `navigator.credentials.create`, with a challenge bound to this account and session. */
  async registrationOptions(caller: AuthUser): Promise<PasskeyCreationOptionsResponseDto> {
    const user = await this.users.findById(caller.id);
    if (!user) throw unauthenticated('UNAUTHENTICATED', 'The account no longer exists');
    this.holds.assertMayChangeSecurity(user);
    const existing = await this.repo.listForUser(caller.id);
    if (existing.length >= MAX_PASSKEYS) throw tooMany();
    const options = await registrationOptions(
      this.rp,
      { id: user.id, email: user.email, name: user.name },
      existing.map((p) => ({ id: p.credential_id, transports: p.transports })),
      this.challenges.ttlMs,
    );
    await this.challenges.issue(options.challenge, { purpose: 'registration', userId: caller.id, sessionId: caller.sessionId });
    return { options: options as unknown as Record<string, unknown> };
  }

  /** Verifies the authenticator's answer to a registration challenge of this session and stores the passkey. */
  async register(caller: AuthUser, dto: RegisterPasskeyDto): Promise<PasskeyResponseDto> {
    await this.assertMayChangeSecurity(caller.id);
    const response = dto.credential as unknown as RegistrationResponseJSON;
    const challenge = this.challengeOf(response.response.clientDataJSON, 'registration');
    const issued = await this.challenges.take(challenge);
    if (!issued || issued.purpose !== 'registration' || issued.userId !== caller.id || issued.sessionId !== caller.sessionId) {
      throw unprocessable('PASSKEY_REJECTED', 'This passkey answers no registration of this session (or it expired); start again');
    }
    let credential;
    try {
      credential = await verifyRegistration(this.rp, response, challenge);
    } catch (e) {
      if (!(e instanceof WebAuthnRefusal)) throw e;
      this.logger.warn({ userId: caller.id, reason: e.reason, err: e.message }, 'passkey registration refused');
      throw unprocessable('PASSKEY_REJECTED', 'The passkey could not be verified for this site; try again');
    }
    const { row, notice } = await this.uow.run(async (tx) => {
      await this.repo.serialize(tx, caller.id);
      if ((await this.repo.countForUser(tx, caller.id)) >= MAX_PASSKEYS) throw tooMany();
      const inserted = await this.repo.insert(tx, {
        userId: caller.id,
        credentialId: credential.id,
        publicKey: credential.publicKey,
        counter: credential.counter,
        transports: credential.transports,
        name: dto.name,
      });
      if (!inserted) throw conflict('ALREADY_EXISTS', 'This passkey is already registered');
      await this.audit.record(
        {
          action: 'auth.passkey_registered',
          userId: caller.id,
          details: { passkeyId: inserted.id, sessionId: caller.sessionId, userVerified: credential.userVerified },
        },
        tx,
      );
      await this.holds.place(tx, caller.id, SecurityHoldReason.PasskeyChanged);
      const notice = await this.notices.record(caller.id, SecurityEventKind.PasskeyAdded, { passkeyId: inserted.id, name: inserted.name }, { tx });
      return { row: inserted, notice };
    });
    await this.notices.deliver(notice);
    return { passkey: toPasskeyDto(row) };
  }

  async list(userId: string): Promise<PasskeyListResponseDto> {
    return { passkeys: (await this.repo.listForUser(userId)).map(toPasskeyDto) };
  }

  async rename(caller: AuthUser, id: string, name: string): Promise<PasskeyResponseDto> {
    const row = await this.repo.rename(caller.id, id, name);
    if (!row) throw notFound('No such passkey');
    await this.audit.record({ action: 'auth.passkey_renamed', userId: caller.id, details: { passkeyId: id } });
    return { passkey: toPasskeyDto(row) };
  }

  /** Removes one of the caller's passkeys: audited, a security notice, and the security hold on withdrawals. */
  async remove(caller: AuthUser, id: string): Promise<void> {
    await this.assertMayChangeSecurity(caller.id);
    const notice = await this.uow.run(async (tx) => {
      const row = await this.repo.delete(tx, caller.id, id);
      if (!row) throw notFound('No such passkey');
      await this.audit.record(
        { action: 'auth.passkey_removed', userId: caller.id, details: { passkeyId: id, name: row.name, sessionId: caller.sessionId } },
        tx,
      );
      await this.holds.place(tx, caller.id, SecurityHoldReason.PasskeyChanged);
      return this.notices.record(caller.id, SecurityEventKind.PasskeyRemoved, { passkeyId: id, name: row.name }, { tx });
    });
    await this.notices.deliver(notice);
  }

  /** Options for a sign-in without a name: any passkey of this site (discoverable), a challenge bound to no account. */
  async signInOptions(): Promise<PasskeyRequestOptionsResponseDto> {
    const options = await authenticationOptions(this.rp, undefined, this.challenges.ttlMs);
    await this.challenges.issue(options.challenge, { purpose: 'sign-in' });
    return { options: options as unknown as Record<string, unknown> };
  }

  /** Options to confirm an action of this session (a withdrawal, a step-up) with one of the account's passkeys. */
  async confirmationOptions(caller: AuthUser): Promise<PasskeyRequestOptionsResponseDto> {
    const passkeys = await this.repo.listForUser(caller.id);
    if (!passkeys.length) throw conflict('INVALID_STATE', 'No passkey is registered on this account');
    const options = await authenticationOptions(
      this.rp,
      passkeys.map((p) => ({ id: p.credential_id, transports: p.transports })),
      this.challenges.ttlMs,
    );
    await this.challenges.issue(options.challenge, { purpose: 'confirmation', userId: caller.id, sessionId: caller.sessionId });
    return { options: options as unknown as Record<string, unknown> };
  }

  /**
   * First half of checking an assertion: takes its challenge (single use: a failed attempt burns it too) and finds
   * its passkey. Null when the challenge is unknown, used or expired, or the passkey is not registered.
   */
  async prepare(credential: PasskeyAssertionDto): Promise<PendingAssertion | null> {
    const response = credential as unknown as AuthenticationResponseJSON;
    let challenge: string;
    try {
      challenge = challengeOf(response.response.clientDataJSON);
    } catch {
      return null;
    }
    const issued = await this.challenges.take(challenge);
    if (!issued) return null;
    const passkey = await this.repo.findByCredentialId(response.id);
    if (!passkey) {
      await this.audit.record({ action: 'auth.passkey_unknown', details: { purpose: issued.purpose } });
      return null;
    }
    return { passkey, issued, challenge, response };
  }

  /**
   * Second half: the signature, origin, RP ID, user presence (and user verification when `requireUserVerification`:
   * a passkey that signs in alone must have verified its user), then the counter, recorded with the use. A replayed
   * or decreasing counter is refused and audited. False when it does not verify (the caller answers and counts it).
   */
  async verify(pending: PendingAssertion, requireUserVerification: boolean): Promise<boolean> {
    const { passkey } = pending;
    const handleUser = userIdOfHandle(pending.response.response.userHandle);
    if (handleUser !== null && handleUser !== passkey.user_id) return this.refused(pending, 'user_handle', 'the user handle names another account');
    let newCounter: number;
    try {
      ({ newCounter } = await verifyAssertion(
        this.rp,
        pending.response,
        pending.challenge,
        { id: passkey.credential_id, publicKey: passkey.public_key, counter: Number(passkey.counter), transports: passkey.transports },
        requireUserVerification,
      ));
    } catch (e) {
      if (!(e instanceof WebAuthnRefusal)) throw e;
      return this.refused(pending, e.reason, e.message);
    }
    // Conditional on the stored counter: of two requests carrying the same signed counter, one wins.
    if (!(await this.repo.recordUse(passkey.id, newCounter))) return this.refused(pending, 'counter', `counter ${newCounter} raced or replayed`);
    return true;
  }

  /**
   * A passkey as the second factor, the one check for it: an assertion by one of `userId`'s passkeys answering a
   * sign-in challenge (`sessionId` null: the second step of a password sign-in) or a confirmation challenge issued to
   * this account and session (withdrawals, a step-up). `requireUserVerification` where the passkey stands alone for
   * password and second factor (a step-up). False otherwise (the caller counts the failure).
   */
  async verifyOwnAssertion(userId: string, credential: PasskeyAssertionDto, sessionId: string | null, requireUserVerification = false): Promise<boolean> {
    const pending = await this.prepare(credential);
    if (!pending) return false;
    const expected: ChallengePurpose = sessionId === null ? 'sign-in' : 'confirmation';
    const { issued } = pending;
    if (issued.purpose !== expected || (expected === 'confirmation' && (issued.userId !== userId || issued.sessionId !== sessionId))) {
      return this.refused(pending, 'challenge_purpose', `a ${issued.purpose} challenge used for ${expected}`);
    }
    if (pending.passkey.user_id !== userId) return this.refused(pending, 'other_account', 'the passkey belongs to another account');
    if (!(await this.verify(pending, requireUserVerification))) return false;
    await this.audit.record({ action: 'auth.passkey_used', userId, details: { passkeyId: pending.passkey.id, for: expected } });
    return true;
  }

  /**
   * Removes the passkeys added at or after `since`, in `tx`; how many. For a freeze undoing what an intruder added
   * (registered with `AccountFreezeService.registerRemover` in onModuleInit).
   */
  async removeAddedSince(tx: Tx, userId: string, since: Date): Promise<number> {
    const removed = await this.repo.deleteAddedSince(tx, userId, since);
    if (removed.length) await this.audit.record({ action: 'auth.passkeys_removed_by_freeze', userId, details: { passkeyIds: removed } }, tx);
    return removed.length;
  }

  /** 403 ACCOUNT_FROZEN for a frozen account (401 when it no longer exists). */
  private async assertMayChangeSecurity(userId: string): Promise<void> {
    const user = await this.users.findById(userId);
    if (!user) throw unauthenticated('UNAUTHENTICATED', 'The account no longer exists');
    this.holds.assertMayChangeSecurity(user);
  }

  private challengeOf(clientDataJSON: string, purpose: ChallengePurpose): string {
    try {
      return challengeOf(clientDataJSON);
    } catch {
      throw unprocessable('PASSKEY_REJECTED', `This is not the answer to a ${purpose} challenge`);
    }
  }

  private async refused(pending: PendingAssertion, reason: string, message: string): Promise<false> {
    const userId = pending.passkey.user_id;
    this.logger.warn({ userId, passkeyId: pending.passkey.id, reason, err: message }, 'passkey assertion refused');
    await this.audit.record({
      action: reason === 'counter' ? 'auth.passkey_counter_rejected' : 'auth.passkey_refused',
      userId,
      details: { passkeyId: pending.passkey.id, reason, purpose: pending.issued.purpose, storedCounter: pending.passkey.counter },
    });
    return false;
  }
}

function tooMany(): AppError {
  return unprocessable('LIMIT_EXCEEDED', `An account can hold ${MAX_PASSKEYS} passkeys; remove one first`);
}
