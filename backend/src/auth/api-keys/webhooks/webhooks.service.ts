import { Injectable, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditService } from '../../../audit/audit.service';
import type { AuthUser } from '../../../common/auth/auth-user';
import { decodeCursor, encodeCursor, type PageQueryDto } from '../../../common/dto/pagination.dto';
import { AppError, conflict, notFound, unprocessable, validationFailed } from '../../../common/errors/app-error';
import { AppConfig } from '../../../config/config.service';
import { type Tx, UnitOfWork } from '../../../database/unit-of-work';
import { AccountFreezeService } from '../../security/account-freeze.service';
import { SecurityEventKind } from '../../security/security-event-kinds';
import { SecurityNoticesService } from '../../security/security-notices.service';
import {
  CreatedWebhookEndpointDto,
  CreateWebhookDto,
  WebhookDeliveryAttemptDto,
  WebhookDeliveryLogDto,
  WebhookEndpointDto,
  WebhookEndpointListDto,
  WebhookRedeliveryDto,
} from './dto/webhook.dto';
import { MAX_WEBHOOKS_PER_KEY, MAX_WEBHOOKS_PER_USER, WEBHOOK_EVENT_TYPES, WEBHOOK_TIMEOUT_MS } from './webhook-events';
import { WebhookSecretBox } from './webhook-secret-box';
import { newWebhookSecret } from './webhook-signature';
import { resolveWebhookTarget, targetLookup, urlHost, webhookUrlProblem, WebhookTargetError } from './webhook-targets';
import { type AttemptRow, type OwnKeyRow, type WebhookEndpointRow, WebhooksRepository } from './webhooks.repository';

export function toWebhookEndpointDto(row: WebhookEndpointRow): WebhookEndpointDto {
  return { id: row.id, keyId: row.api_key_id, url: row.url, events: row.events, createdAt: new Date(row.created_at).toISOString() };
}

export function toDeliveryAttemptDto(row: AttemptRow): WebhookDeliveryAttemptDto {
  return {
    eventId: row.event_id,
    type: row.type,
    attempt: Number(row.attempt),
    attemptedAt: new Date(row.attempted_at).toISOString(),
    statusCode: row.status_code === null ? null : Number(row.status_code),
    error: row.error,
    responseSnippet: row.response_snippet,
    durationMs: Number(row.duration_ms),
    nextRetryAt: row.next_retry_at ? new Date(row.next_retry_at).toISOString() : null,
    deliveryStatus: row.delivery_status,
  };
}

/** What the audit trail keeps of an endpoint's URL: its origin (a path or query may carry the receiver's own token). */
const origin = (url: string): string => new URL(url).origin;

/**
 * An API key's webhook endpoints (API.md "Webhooks"): created from a stepped-up session (the URL checked: its form,
 * then every address its host resolves to; the signing secret made here, sealed for storage and shown once), listed,
 * deleted, with their delivery log and manual redelivery (not within WEBHOOK_REDELIVERY_COOLDOWN_MS of the event's last
 * attempt there: 429). Each change is audited (`auth.webhook_created`, `auth.webhook_deleted`,
 * `auth.webhook_redelivery_requested`), with the URL's origin only. A new endpoint is a security event told to the
 * owner (`webhook_created`: email with the "This wasn't me" link, notification), since it sends the account's events
 * elsewhere; a freeze deletes the endpoints made since the reported event (registered with AccountFreezeService).
 */
@Injectable()
export class WebhooksService implements OnModuleInit {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly repo: WebhooksRepository,
    private readonly box: WebhookSecretBox,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly notices: SecurityNoticesService,
    private readonly freezes: AccountFreezeService,
  ) {}

  onModuleInit(): void {
    this.freezes.registerRemover({
      name: 'webhooks',
      removeAddedSince: async (tx, userId, since) => (await this.repo.removeAddedSince(tx, userId, since)).length,
    });
  }

  async list(user: AuthUser, keyId: string): Promise<WebhookEndpointListDto> {
    await this.ownKey(user.id, keyId);
    return { items: (await this.repo.listEndpoints(user.id, keyId)).map(toWebhookEndpointDto), max: MAX_WEBHOOKS_PER_KEY };
  }

  async create(user: AuthUser, keyId: string, dto: CreateWebhookDto): Promise<CreatedWebhookEndpointDto> {
    const key = await this.ownKey(user.id, keyId);
    assertLive(key);
    const url = await this.checkUrl(dto.url);
    const events = WEBHOOK_EVENT_TYPES.filter((t) => dto.events.includes(t));
    const id = randomUUID();
    const secret = newWebhookSecret();
    const { row, event } = await this.uow.run(async (tx) => {
      await this.repo.serialize(tx, user.id);
      // Again under the lock: a key revoked meanwhile gets no endpoint.
      assertLive(await this.ownKey(user.id, keyId, tx));
      const counts = await this.repo.counts(tx, user.id, keyId);
      if (counts.key >= MAX_WEBHOOKS_PER_KEY) {
        throw unprocessable('LIMIT_EXCEEDED', `An API key can have at most ${MAX_WEBHOOKS_PER_KEY} webhook endpoints: delete one first`);
      }
      if (counts.user >= MAX_WEBHOOKS_PER_USER) {
        throw unprocessable('LIMIT_EXCEEDED', `Your API keys can have at most ${MAX_WEBHOOKS_PER_USER} webhook endpoints together: delete one first`);
      }
      const created = await this.repo.insertEndpoint(tx, { id, userId: user.id, keyId, url: url.href, events, secretSealed: this.box.seal(secret, id) });
      await this.audit.record(
        {
          action: 'auth.webhook_created',
          userId: user.id,
          details: { keyId, webhookId: id, url: url.origin, events, sessionId: user.sessionId },
        },
        tx,
      );
      // Told to the owner after the commit: where the account's events now go (the origin only) and which.
      const recorded = await this.notices.record(
        user.id,
        SecurityEventKind.WebhookCreated,
        { keyId, webhookId: id, origin: url.origin, events: events.join(', ') },
        { tx },
      );
      return { row: created, event: recorded };
    });
    await this.notices.deliver(event);
    return { ...toWebhookEndpointDto(row), secret };
  }

  async remove(user: AuthUser, keyId: string, id: string): Promise<WebhookEndpointDto> {
    await this.ownKey(user.id, keyId);
    const row = await this.uow.run(async (tx) => {
      const deleted = await this.repo.deleteEndpoint(tx, user.id, keyId, id);
      if (deleted) {
        await this.audit.record(
          { action: 'auth.webhook_deleted', userId: user.id, details: { keyId, webhookId: id, url: origin(deleted.url), sessionId: user.sessionId } },
          tx,
        );
      }
      return deleted;
    });
    if (!row) throw notFound('No such webhook endpoint');
    return toWebhookEndpointDto(row);
  }

  async deliveries(user: AuthUser, keyId: string, id: string, page: PageQueryDto): Promise<WebhookDeliveryLogDto> {
    await this.ownEndpoint(user.id, keyId, id);
    const limit = page.limit ?? 20;
    const rows = await this.repo.attempts(id, limit + 1, decodeCursor(page.cursor, 'bigint'));
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map(toDeliveryAttemptDto),
      nextCursor: rows.length > limit && last ? encodeCursor(new Date(last.attempted_at), last.id) : null,
    };
  }

  async redeliver(user: AuthUser, keyId: string, id: string, eventId: string): Promise<WebhookRedeliveryDto> {
    assertLive(await this.ownKey(user.id, keyId));
    await this.ownEndpoint(user.id, keyId, id);
    const outcome = await this.repo.redeliver(id, eventId, this.config.values.webhooks.redeliveryCooldownMs);
    if (!outcome) throw notFound('No such event at this webhook endpoint');
    if (outcome.result === 'in_flight') throw conflict('INVALID_STATE', 'This event is being delivered right now: look at the delivery log in a moment');
    if (outcome.result === 'cooldown') {
      const seconds = Math.max(1, Math.ceil(outcome.retryAfterMs / 1000));
      throw new AppError(429, 'RATE_LIMITED', 'This event was just sent to this endpoint: redeliver it again in a moment', undefined, {
        'Retry-After': String(seconds),
      });
    }
    await this.audit.record({
      action: 'auth.webhook_redelivery_requested',
      userId: user.id,
      details: { keyId, webhookId: id, eventId, sessionId: user.sessionId },
    });
    return { eventId, status: 'pending' };
  }

  /**
   * The URL as we will call it: its form (400 on the `url` field), then every address its host resolves to now
   * (422 WEBHOOK_URL_NOT_ALLOWED unless all are public). The sender checks again before every attempt.
   */
  private async checkUrl(raw: string): Promise<URL> {
    const problem = webhookUrlProblem(raw, this.config.isProduction);
    if (problem !== undefined) throw validationFailed([{ field: 'url', message: problem }]);
    const parsed = new URL(raw);
    const host = urlHost(parsed);
    try {
      const { allowPrivateTargets, dnsServers } = this.config.values.webhooks;
      await resolveWebhookTarget(parsed, allowPrivateTargets, targetLookup(allowPrivateTargets, dnsServers), WEBHOOK_TIMEOUT_MS);
    } catch (e) {
      if (!(e instanceof WebhookTargetError)) throw e;
      const message =
        e.kind === 'dns_failed'
          ? `The host ${host} does not resolve: check the URL`
          : `Webhooks go only to public addresses, and ${host} is a private, loopback, link-local or reserved one`;
      throw unprocessable('WEBHOOK_URL_NOT_ALLOWED', message, [{ field: 'url', message }]);
    }
    return parsed;
  }

  /** The caller's API key (any state), else 404 (another account's key too). */
  private async ownKey(userId: string, keyId: string, tx?: Tx): Promise<OwnKeyRow> {
    const key = await this.repo.findOwnKey(userId, keyId, tx);
    if (!key) throw notFound('No such API key');
    return key;
  }

  private async ownEndpoint(userId: string, keyId: string, id: string): Promise<WebhookEndpointRow> {
    await this.ownKey(userId, keyId);
    const endpoint = await this.repo.findEndpoint(userId, keyId, id);
    if (!endpoint) throw notFound('No such webhook endpoint');
    return endpoint;
  }
}

function assertLive(key: OwnKeyRow): void {
  if (!key.live) throw conflict('INVALID_STATE', 'This API key is revoked or expired: its webhooks receive nothing');
}
