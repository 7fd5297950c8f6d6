import { Injectable, OnModuleInit } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service';
import type { AuthUser } from '../../common/auth/auth-user';
import { forbidden, notFound, unprocessable, validationFailed } from '../../common/errors/app-error';
import { requestContext } from '../../common/request-context';
import { UnitOfWork } from '../../database/unit-of-work';
import { AccountFreezeService } from '../security/account-freeze.service';
import { SecurityEventKind } from '../security/security-event-kinds';
import { type RecordedSecurityEvent, SecurityNoticesService } from '../security/security-notices.service';
import { TwoFactorService } from '../two-factor.service';
import { parseEd25519PublicKey } from './api-key-signature';
import { ApiKeysRepository, type ApiKeyRow } from './api-keys.repository';
import { ApiKeyDto, ApiKeyListResponseDto, ApiKeyResponseDto, CreateApiKeyDto } from './dto/api-key.dto';
import { parseCidr } from './ip-allowlist';
import { isPublishedPublicKey } from './published-keys';

/** Active keys an account may have. */
export const MAX_API_KEYS = 10;
const MAX_EXPIRY_MS = 366 * 24 * 60 * 60 * 1000;

export function toApiKeyDto(row: ApiKeyRow): ApiKeyDto {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes,
    publicKey: Buffer.from(row.public_key).toString('base64'),
    ipAllowlist: row.ip_allowlist,
    expiresAt: row.expires_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    lastUsedIp: row.last_used_ip,
    revokedAt: row.revoked_at?.toISOString() ?? null,
    status: row.revoked_at || row.superseded ? 'revoked' : row.expired ? 'expired' : 'active',
  };
}

/**
 * The account's API keys (API.md "API keys"): created from a stepped-up session with the public key only (never one
 * whose private key is published: published-keys.ts), listed, revoked. A key that can withdraw also needs a fresh
 * second factor in the creating request itself (a code or a passkey, on the confirmation counter: a step-up window
 * alone is not enough), and its creation is a security event told to the owner (email with the "This wasn't me" link,
 * notification). Each is audited (`auth.api_key_created`, `auth.api_key_revoked`). A freeze revokes the keys made
 * since the reported event (registered with AccountFreezeService); a password reset, a suspension and
 * closing the account end every older key (a password change keeps them: it ends only the other sessions) by moving `tokens_valid_after` (ApiKeysRepository: `superseded`).
 */
@Injectable()
export class ApiKeysService implements OnModuleInit {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly keys: ApiKeysRepository,
    private readonly audit: AuditService,
    private readonly freezes: AccountFreezeService,
    private readonly twoFactor: TwoFactorService,
    private readonly notices: SecurityNoticesService,
  ) {}

  onModuleInit(): void {
    this.freezes.registerRemover({
      name: 'api_keys',
      removeAddedSince: async (tx, userId, since) => (await this.keys.revokeAddedSince(tx, userId, since)).length,
    });
  }

  async list(userId: string): Promise<ApiKeyListResponseDto> {
    return { items: (await this.keys.listForUser(userId)).map(toApiKeyDto), max: MAX_API_KEYS };
  }

  async create(user: AuthUser, dto: CreateApiKeyDto): Promise<ApiKeyResponseDto> {
    const publicKey = parseEd25519PublicKey(dto.publicKey);
    const problems: { field: string; message: string }[] = [];
    if (!publicKey) problems.push({ field: 'publicKey', message: 'Paste an Ed25519 public key: base64 of its 32 bytes, or a PEM "PUBLIC KEY"' });
    const allowlist: string[] = [];
    for (const entry of dto.ipAllowlist ?? []) {
      const cidr = parseCidr(entry);
      if (!cidr) {
        problems.push({ field: 'ipAllowlist', message: 'Enter at most 20 IP addresses or CIDR blocks such as 203.0.113.7 or 2001:db8::/32' });
        break;
      }
      if (!allowlist.includes(cidr.text)) allowlist.push(cidr.text);
    }
    // A withdraw key skips the per-withdrawal code: its allowlist must name servers, not the internet (0.0.0.0/0).
    if (dto.scopes.includes('withdraw') && allowlist.some((entry) => !narrowEnoughToWithdraw(entry)) && !problems.some((p) => p.field === 'ipAllowlist')) {
      problems.push({
        field: 'ipAllowlist',
        message: 'A key that can withdraw allows at most a /24 (IPv4) or /48 (IPv6) block per entry: enter your servers’ own addresses',
      });
    }
    if (dto.scopes.includes('withdraw') && allowlist.length === 0 && !problems.some((p) => p.field === 'ipAllowlist')) {
      problems.push({ field: 'ipAllowlist', message: 'A key that can withdraw needs an IP allowlist: enter the addresses your servers send from' });
    }
    const expiresAt = dto.expiresAt ?? null;
    if (expiresAt && (expiresAt.getTime() <= Date.now() || expiresAt.getTime() > Date.now() + MAX_EXPIRY_MS)) {
      problems.push({ field: 'expiresAt', message: 'Choose an expiry in the future, at most a year ahead' });
    }
    if (problems.length || !publicKey) throw validationFailed(problems);
    if (isPublishedPublicKey(publicKey)) {
      throw unprocessable(
        'PUBLIC_KEY_PUBLISHED',
        'This public key is published (our documentation’s example or a standard test key), so anyone has its private key: make your own key pair',
        [{ field: 'publicKey', message: 'Make a new key pair and paste its public key: this one is published' }],
      );
    }
    const scopes = [...dto.scopes].sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b));
    const withdraw = scopes.includes('withdraw');
    // A key that can withdraw: a fresh second factor in this request (the step-up window alone is not enough).
    const secondFactor = withdraw ? await this.confirmWithdrawKey(user, dto) : undefined;
    const { row, event } = await this.uow.run(async (tx) => {
      await this.keys.serialize(tx, user.id);
      if ((await this.keys.countLive(tx, user.id)) >= MAX_API_KEYS) {
        throw unprocessable('LIMIT_EXCEEDED', `You can have at most ${MAX_API_KEYS} active API keys: revoke one first`);
      }
      const created = await this.keys.insert(tx, { userId: user.id, name: dto.name, publicKey, scopes, ipAllowlist: allowlist, expiresAt });
      await this.audit.record(
        {
          action: 'auth.api_key_created',
          userId: user.id,
          details: {
            keyId: created.id,
            name: created.name,
            scopes,
            ipAllowlist: allowlist,
            expiresAt,
            sessionId: user.sessionId,
            ...(secondFactor ? { secondFactor } : {}),
          },
        },
        tx,
      );
      // The event keeps when, the device and the network; the notice also quotes the exact address and the allowlist.
      const recorded: RecordedSecurityEvent | undefined = withdraw
        ? await this.notices.record(
            user.id,
            SecurityEventKind.WithdrawalApiKeyCreated,
            { keyId: created.id, ip: requestContext.getStore()?.ip ?? 'unknown', ipAllowlist: allowlist.join(', ') },
            { tx },
          )
        : undefined;
      return { row: created, event: recorded };
    });
    if (event) await this.notices.deliver(event);
    return { apiKey: toApiKeyDto(row) };
  }

  /**
   * What a key that can withdraw needs besides the step-up: two-factor authentication on (403 TWO_FACTOR_NOT_ENABLED:
   * withdrawals need it anyway), and a fresh code or passkey assertion in the request (400 when neither came; 401
   * TWO_FACTOR_INVALID for a wrong or used one, on the confirmation counter: 429 ACCOUNT_LOCKED past its limit).
   * Checked before the limit and the insert, after every field is valid (a code is not used up by a request that
   * fails validation). How it was confirmed, for the audit entry.
   */
  private async confirmWithdrawKey(user: AuthUser, dto: CreateApiKeyDto): Promise<'code' | 'passkey'> {
    if (!(await this.twoFactor.status(user.id)).enabled) {
      throw forbidden('TWO_FACTOR_NOT_ENABLED', 'Turn on two-factor authentication before creating a key that can withdraw');
    }
    const code = dto.twoFactorCode?.trim();
    if (!code && !dto.passkey) {
      throw validationFailed([
        {
          field: 'twoFactorCode',
          message:
            'A key that can withdraw needs a fresh confirmation: enter a new code from your authenticator app (or a backup code), or confirm with a passkey',
        },
      ]);
    }
    await this.twoFactor.requireSecondFactor(user, 'auth.api_key_withdraw', { code, passkey: dto.passkey });
    return dto.passkey ? 'passkey' : 'code';
  }

  /** Revokes one of the account's keys, at once on every instance; revoking a revoked key answers it again. */
  async revoke(user: AuthUser, id: string): Promise<ApiKeyResponseDto> {
    const result = await this.uow.run(async (tx) => {
      const revoked = await this.keys.revoke(tx, user.id, id, 'owner');
      if (revoked?.changed) {
        await this.audit.record(
          { action: 'auth.api_key_revoked', userId: user.id, details: { keyId: id, name: revoked.row.name, sessionId: user.sessionId } },
          tx,
        );
      }
      return revoked;
    });
    if (!result) throw notFound('No such API key');
    return { apiKey: toApiKeyDto(result.row) };
  }
}

const ORDER = ['read', 'trade', 'withdraw'];

/** At most a /24 of IPv4 or a /48 of IPv6: one provider's block of servers, never a whole network. */
function narrowEnoughToWithdraw(entry: string): boolean {
  const cidr = parseCidr(entry);
  return cidr !== undefined && cidr.prefix >= (cidr.family === 'ipv4' ? 24 : 48);
}
