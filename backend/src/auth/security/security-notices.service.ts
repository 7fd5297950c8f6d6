import { Injectable, Logger } from '@nestjs/common';
import { decodeCursor, encodeCursor } from '../../common/dto/pagination.dto';
import { formatDateTime } from '../../common/money/prose-format';
import { requestContext } from '../../common/request-context';
import { AppConfig } from '../../config/config.service';
import type { Tx } from '../../database/unit-of-work';
import { MailService } from '../../notifications/mail.service';
import { NotificationsService } from '../../notifications/notifications.service';
import { describeDevice } from '../device';
import { escapeHtml } from '../email-verification.service';
import { randomToken, sha256Hex } from '../secrets';
import { UsersRepository } from '../users/users.repository';
import { SecurityActivityPageDto, SecurityActivityQueryDto, SecurityEventDto } from './dto/security.dto';
import { approximateNetwork } from './network';
import { SECURITY_EVENT_TEXT, SecurityEventKind } from './security-event-kinds';
import { SecurityEventRow, SecurityEventsRepository } from './security-events.repository';

/** The device labels describeDevice gives for user agents it recognises. */
const KNOWN_DEVICE =
  /^(?:(?:Edge|Opera|Firefox|Chrome|Safari|curl|API client)(?: on (?:Windows|iOS|Android|macOS|ChromeOS|Linux))?|Windows|iOS|Android|macOS|ChromeOS|Linux|Unknown device)$/;

/**
 * The device as a notice names it: a label for a user agent describeDevice does not recognise is the raw
 * User-Agent, which whoever signs in chooses, so a notice never repeats it (no text of an attacker's in our mail).
 */
export function noticeDevice(device: string | null): string | null {
  if (!device) return null;
  return KNOWN_DEVICE.test(device) ? device : 'an unrecognised browser or app';
}

/** The event details a notice's text quotes (SECURITY_EVENT_TEXT's `detail`), and nothing else of them. */
const QUOTED_DETAILS = ['until', 'newEmail', 'from', 'to', 'ip', 'ipAllowlist', 'origin', 'events'] as const;

export function noticeDetails(details: Record<string, unknown>): Record<string, string> {
  const quoted: Record<string, string> = {};
  for (const key of QUOTED_DETAILS) if (typeof details[key] === 'string') quoted[key] = details[key];
  return quoted;
}

/** How long a "This wasn't me" link works (once). */
export const FREEZE_LINK_TTL_MS = 7 * 24 * 3_600_000;

export interface RecordOptions {
  /** Store the event in the caller's transaction; then call `deliver(event)` after the commit. */
  tx?: Tx;
  /**
   * Tell the owner (in-app, /ws/user, email with a "This wasn't me" link). Defaults to the kind's own
   * `notify` (SECURITY_EVENT_TEXT); a sign-in passes whether it came from a new device or network.
   */
  notify?: boolean;
  /** Also write to this address (an email change tells the old address too). */
  alsoEmail?: string;
}

/** A stored event, and what its delivery needs (the freeze link exists only here, never in the database). */
export interface RecordedSecurityEvent {
  event: SecurityEventRow;
  notify: boolean;
  freezeToken?: string;
  alsoEmail?: string;
}

export function toSecurityEventDto(row: SecurityEventRow): SecurityEventDto {
  const text = SECURITY_EVENT_TEXT[row.kind as SecurityEventKind];
  return {
    id: row.id,
    kind: row.kind as SecurityEventKind,
    title: text ? (row.kind === SecurityEventKind.SignedIn ? 'Signed in' : text.title) : row.kind,
    createdAt: new Date(row.created_at).toISOString(),
    device: row.device,
    network: row.network,
    newDevice: row.kind === SecurityEventKind.SignedIn ? row.details.newDevice === true : null,
  };
}

/**
 * Security events and the notices about them: the one place every security
 * change of an account is recorded and told to its owner.
 *
 *   await notices.record(userId, SecurityEventKind.PasskeyAdded, { name });            // outside a transaction
 *   const ev = await uow.run(async (tx) => { …; return notices.record(userId, kind, details, { tx }); });
 *   await notices.deliver(ev);                                                        // after the commit
 *
 * The event keeps when, the device label and the approximate network (IPv4
 * /24, IPv6 /48) of the request. A notified event is stored in-app, pushed on
 * /ws/user and emailed with a single-use "This wasn't me" link (7 days; only
 * its hash is stored) to the freeze page. The in-app notice carries no link
 * (a thief with a token must not be able to use it). Never put secrets or
 * codes in `details`: the owner sees the event on the activity page.
 */
@Injectable()
export class SecurityNoticesService {
  private readonly logger = new Logger('SecurityNotices');

  constructor(
    private readonly repo: SecurityEventsRepository,
    private readonly users: UsersRepository,
    private readonly notifications: NotificationsService,
    private readonly mail: MailService,
    private readonly config: AppConfig,
  ) {}

  /** Stores the event; without `tx`, also tells the owner at once (when it is notified). */
  async record(userId: string, kind: SecurityEventKind, details: Record<string, unknown> = {}, opts: RecordOptions = {}): Promise<RecordedSecurityEvent> {
    const ctx = requestContext.getStore();
    const notify = opts.notify ?? SECURITY_EVENT_TEXT[kind].notify;
    const freezeToken = notify ? randomToken() : undefined;
    const event = await this.repo.insert(
      {
        userId,
        kind,
        ip: ctx?.ip ?? null,
        network: approximateNetwork(ctx?.ip) ?? null,
        device: ctx ? describeDevice(ctx.userAgent) : null,
        details,
        freeze: freezeToken ? { tokenHash: sha256Hex(freezeToken), expiresAt: new Date(Date.now() + FREEZE_LINK_TTL_MS) } : undefined,
      },
      opts.tx,
    );
    const recorded: RecordedSecurityEvent = { event, notify, freezeToken, alsoEmail: opts.alsoEmail };
    if (!opts.tx) await this.deliver(recorded);
    return recorded;
  }

  /**
   * Tells the owner about a recorded event (after its transaction committed). Never throws: a failure to
   * notify is logged (the event stands and shows on the activity page).
   */
  async deliver(recorded: RecordedSecurityEvent): Promise<void> {
    if (!recorded.notify) return;
    const { event } = recorded;
    const text = SECURITY_EVENT_TEXT[event.kind as SecurityEventKind];
    const when = formatDateTime(event.created_at);
    const where = [noticeDevice(event.device), event.network ? `network ${event.network}` : null].filter(Boolean).join(', ');
    const detail = text.detail?.(event.details ?? {});
    const body = `${text.summary}${detail ? ` ${detail}` : ''} When: ${when}.${where ? ` From: ${where}.` : ''}`;
    try {
      await this.notifications.notify(event.user_id, {
        type: 'notification',
        title: text.title,
        body: `${body} If this wasn't you, use the "This wasn't me" link in the email we sent to freeze your account.`,
        // What the text says, as data (the client writes the notice in the customer's language): when, from where
        // (the device as the notice names it, never a raw User-Agent) and the details the text quotes.
        data: {
          kind: 'security_event',
          event: event.kind,
          eventId: event.id,
          at: new Date(event.created_at).toISOString(),
          device: noticeDevice(event.device),
          network: event.network,
          details: noticeDetails(event.details ?? {}),
        },
      });
    } catch (e) {
      this.logger.error({ userId: event.user_id, kind: event.kind, err: (e as Error).message }, 'security notice not stored');
    }
    void this.email(recorded, text.title, body);
  }

  /** The account's activity: sign-ins and security events, newest first, cursor-paginated. */
  async activity(userId: string, query: SecurityActivityQueryDto): Promise<SecurityActivityPageDto> {
    const limit = query.limit ?? 20;
    const rows = await this.repo.page(userId, decodeCursor(query.cursor, 'uuid'), limit + 1);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(toSecurityEventDto), nextCursor: rows.length > limit && last ? encodeCursor(new Date(last.created_at), last.id) : null };
  }

  private async email(recorded: RecordedSecurityEvent, subject: string, body: string): Promise<void> {
    const { event, freezeToken } = recorded;
    try {
      const user = await this.users.findById(event.user_id);
      if (!user) return;
      const link = freezeToken ? `${this.config.values.appUrl}/security/freeze?token=${encodeURIComponent(freezeToken)}` : undefined;
      const freeze = link
        ? `\n\nIf this wasn't you, open this link and confirm to freeze your account (every session is signed out and withdrawals stop until you reset your password by email). It works once, for 7 days:\n${link}`
        : '';
      const html =
        `<p>Hello ${escapeHtml(user.name)},</p><p>${escapeHtml(body)}</p>` +
        (link
          ? `<p>If this wasn't you, <a href="${escapeHtml(link)}">open the "This wasn't me" page</a> and confirm to freeze your account. ` +
            `Every session is signed out and withdrawals stop until you reset your password by email. The link works once, for 7 days.</p>`
          : '');
      for (const to of new Set([user.email, ...(recorded.alsoEmail ? [recorded.alsoEmail] : [])])) {
        await this.mail.send({ to, subject, text: `Hello ${user.name},\n\n${body}${freeze}\n\nIf this was you, there is nothing to do.`, html });
      }
    } catch (e) {
      this.logger.error({ userId: event.user_id, kind: event.kind, err: (e as Error).message }, 'security notice email failed');
    }
  }
}
