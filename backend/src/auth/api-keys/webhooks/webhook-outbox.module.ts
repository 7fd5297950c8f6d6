import { Module } from '@nestjs/common';
import { WebhookOutbox } from './webhook-outbox';
import { WebhookOutboxRepository } from './webhook-outbox.repository';

/** The outbox writer for the domains whose changes webhooks report (orders, wallet, alerts): WebhookOutbox. */
@Module({
  providers: [WebhookOutboxRepository, WebhookOutbox],
  exports: [WebhookOutbox],
})
export class WebhookOutboxModule {}
