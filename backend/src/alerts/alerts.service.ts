import { Inject, Injectable, Logger } from '@nestjs/common';
import { UsersReader } from '../auth/users/users.reader';
import { wholeNumberBetween } from '../common/decorators/validation-messages';
import { decodeCursor, encodeCursor } from '../common/dto/pagination.dto';
import { conflict, notFound, unprocessable, validationFailed, type ErrorDetail } from '../common/errors/app-error';
import { MARKET_QUOTES, type MarketQuotes } from '../common/market/market-quotes';
import { AppConfig } from '../config/config.service';
import { UnitOfWork, type Tx } from '../database/unit-of-work';
import { PUB_SUB, type PubSub } from '../redis/redis.interfaces';
import {
  alertShapeProblems,
  alreadyCrossedMessage,
  MAX_ACTIVE_ALERTS,
  MAX_COOLDOWN_SECONDS,
  MOVE_ALERT_TARGET_PLACEHOLDER,
  type AlertCondition,
  type AlertKind,
} from './alert-rules';
import { ALERTS_CHANGED_CHANNEL, toAlertDto } from './alert.mapper';
import { AlertsRepository } from './alerts.repository';
import { AlertDto, AlertListDto, AlertListQueryDto, CreateAlertDto, UpdateAlertDto } from './dto/alert.dto';

/**
 * Alerts on a price or on a 24 h move, once or repeating: CRUD with the per-user limit of armed alerts, and the
 * question asked before arming an alert the current quote already reaches (409 ALERT_ALREADY_CROSSED unless
 * confirmed). Firing lives in AlertTriggerService.
 */
@Injectable()
export class AlertsService {
  private readonly logger = new Logger('Alerts');

  constructor(
    private readonly alerts: AlertsRepository,
    private readonly users: UsersReader,
    private readonly uow: UnitOfWork,
    private readonly config: AppConfig,
    @Inject(MARKET_QUOTES) private readonly quotes: MarketQuotes,
    @Inject(PUB_SUB) private readonly pubsub: PubSub,
  ) {}

  async list(userId: string, query: AlertListQueryDto): Promise<AlertListDto> {
    const limit = query.limit ?? 20;
    const before = decodeCursor(query.cursor, 'uuid');
    const rows = await this.alerts.list(userId, { active: query.active, symbol: query.symbol, before, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(toAlertDto), nextCursor: rows.length > limit && last ? encodeCursor(new Date(last.created_at), last.id) : null };
  }

  async get(userId: string, id: string): Promise<AlertDto> {
    const row = await this.alerts.findOwn(userId, id);
    if (!row) throw notFound('No such alert');
    return toAlertDto(row);
  }

  async create(userId: string, dto: CreateAlertDto): Promise<AlertDto> {
    const kind: AlertKind = dto.kind ?? 'price';
    this.assertShape(kind, dto, dto.cooldownSeconds);
    if (!this.quotes.isKnown(dto.symbol)) throw unprocessable('UNKNOWN_ASSET', `${dto.symbol} is not a listed asset`);
    const targetPrice = kind === 'move' ? MOVE_ALERT_TARGET_PLACEHOLDER : dto.targetPrice!;
    const movePct = kind === 'move' ? dto.movePct! : null;
    if (!dto.confirmCrossed) this.assertNotCrossed(dto.symbol, dto.condition, targetPrice, movePct);
    const row = await this.uow.run(async (tx) => {
      await this.assertRoomForOneMore(tx, userId);
      return this.alerts.insert(tx, {
        userId,
        symbol: dto.symbol,
        kind,
        condition: dto.condition,
        targetPrice,
        movePct,
        cooldownSeconds: dto.cooldownSeconds ?? null,
        notifyEmail: dto.notifyEmail ?? false,
        notifyPush: dto.notifyPush ?? true,
      });
    });
    await this.announce(row.id);
    return toAlertDto(row);
  }

  /**
   * Changes an alert. `active: true`, or a new target, percentage or condition without `active: false`, re-arms it
   * (clearing when it last fired and any cooldown under way), within the limit; one the current quote already
   * reaches is refused (409) unless `confirmCrossed`.
   */
  async update(userId: string, id: string, dto: UpdateAlertDto): Promise<AlertDto> {
    const row = await this.uow.run(async (tx) => {
      // The user row first, then the alert: the same lock order as create.
      await this.users.lockForUpdate(tx, userId);
      const current = await this.alerts.lockOwn(tx, userId, id);
      if (!current) throw notFound('No such alert');
      this.assertShape(current.kind, dto, dto.cooldownSeconds);
      const retargeted = dto.targetPrice !== undefined || dto.movePct !== undefined || dto.condition !== undefined;
      const active = dto.active ?? (retargeted ? true : current.active);
      const rearm = active && (!current.active || retargeted);
      if (rearm && !dto.confirmCrossed) {
        this.assertNotCrossed(current.symbol, dto.condition ?? current.condition, dto.targetPrice ?? current.target_price, dto.movePct ?? current.move_pct);
      }
      if (active && !current.active) await this.assertRoomForOneMore(tx, userId);
      const updated = await this.alerts.update(tx, userId, id, {
        condition: dto.condition,
        targetPrice: dto.targetPrice,
        movePct: dto.movePct,
        cooldownSeconds: dto.cooldownSeconds,
        notifyEmail: dto.notifyEmail,
        notifyPush: dto.notifyPush,
        active,
        rearm,
      });
      if (!updated) throw notFound('No such alert');
      return updated;
    });
    await this.announce(row.id);
    return toAlertDto(row);
  }

  async remove(userId: string, id: string): Promise<void> {
    if (!(await this.alerts.deleteOwn(userId, id))) throw notFound('No such alert');
    await this.announce(id);
  }

  /** The fields of the alert's kind (400), and a cooldown no shorter than the deployment allows (400). */
  private assertShape(
    kind: AlertKind,
    s: { condition?: AlertCondition; targetPrice?: string; movePct?: string },
    cooldownSeconds: number | null | undefined,
  ): void {
    const problems: ErrorDetail[] = alertShapeProblems(kind, s);
    const min = this.config.values.alertMinCooldownSeconds;
    if (typeof cooldownSeconds === 'number' && cooldownSeconds < min) {
      problems.push({ field: 'cooldownSeconds', message: wholeNumberBetween('a cooldown in seconds', min, MAX_COOLDOWN_SECONDS) });
    }
    if (problems.length) throw validationFailed(problems);
  }

  /** 409 ALERT_ALREADY_CROSSED when the latest quote already reaches the alert (it would fire at once). */
  private assertNotCrossed(symbol: string, condition: AlertCondition, targetPrice: string, movePct: string | null): void {
    const quote = this.quotes.latest(symbol);
    if (!quote) return;
    const crossed = alreadyCrossedMessage(symbol, condition, targetPrice, movePct, quote);
    if (crossed) throw conflict('ALERT_ALREADY_CROSSED', crossed);
  }

  /** Serialises a user's alert changes on the user row, then counts the armed ones. */
  private async assertRoomForOneMore(tx: Tx, userId: string): Promise<void> {
    await this.users.lockForUpdate(tx, userId);
    if ((await this.alerts.countActive(tx, userId)) >= MAX_ACTIVE_ALERTS) {
      throw unprocessable('LIMIT_EXCEEDED', `At most ${MAX_ACTIVE_ALERTS} alerts can be active at once; pause or delete one first`);
    }
  }

  /** Every instance's trigger engine reloads the alert (a missed message is healed by the periodic resync). */
  private async announce(id: string): Promise<void> {
    try {
      await this.pubsub.publish(ALERTS_CHANGED_CHANNEL, id);
    } catch (e) {
      this.logger.warn(`alert change not announced (the resync will catch up): ${(e as Error).message}`);
    }
  }
}
