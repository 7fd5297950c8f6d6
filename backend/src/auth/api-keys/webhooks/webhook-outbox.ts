import { Injectable } from '@nestjs/common';
import type { Tx } from '../../../database/unit-of-work';
import type { StatementPart } from '../../../ledger/statement-parts';
import type { WebhookEventType } from './webhook-events';
import { WebhookOutboxRepository } from './webhook-outbox.repository';

/**
 * The outbox of outgoing webhooks (ARCHITECTURE.md "Outgoing webhooks"): the domains that change what a webhook
 * reports (orders, wallet, alerts) record the event here IN THEIR OWN TRANSACTION, so an event exists exactly when
 * the change committed (never one for a rolled-back fill, never a fill without its event); the delivery workers send
 * it from there. `data` is the object as the REST API shows it (the domain's own mapper), decimal strings for money.
 * Costs one indexed lookup when the user has no endpoint for the type (nearly always), and writes nothing then.
 */
@Injectable()
export class WebhookOutbox {
  constructor(private readonly repo: WebhookOutboxRepository) {}

  record(tx: Tx, userId: string, type: WebhookEventType, data: object): Promise<void> {
    return this.repo.insert(tx, userId, type, data);
  }

  /** Several events of one type (alerts one tick fired together), in one statement. */
  recordMany(tx: Tx, type: WebhookEventType, events: { userId: string; data: object }[]): Promise<void> {
    return this.repo.insertMany(tx, type, events);
  }

  /**
   * Fills posted by one journal statement (market orders, outside a transaction; resting orders crossed together)
   * get their events as a part of it; `stamp`: the order fields the statement's now() sets.
   */
  orderFilledPart(orders: { userId: string; data: object }[], stamp?: readonly ('createdAt' | 'filledAt')[]): StatementPart {
    return this.repo.orderFilledPart(orders, stamp);
  }
}
