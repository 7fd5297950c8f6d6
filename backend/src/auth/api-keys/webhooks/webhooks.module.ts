import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../../../audit/audit.module';
import { AuthModule } from '../../auth.module';
import { WebhookDeliveryAttemptEntity } from './entities/webhook-delivery-attempt.entity';
import { WebhookDeliveryEntity } from './entities/webhook-delivery.entity';
import { WebhookEndpointEntity } from './entities/webhook-endpoint.entity';
import { WebhookEventEntity } from './entities/webhook-event.entity';
import { WebhookDeliveryWorker } from './webhook-delivery.worker';
import { WebhookSecretBox } from './webhook-secret-box';
import { WebhookSender } from './webhook-sender';
import { WebhooksController } from './webhooks.controller';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';

/**
 * Outgoing webhooks (API.md "Webhooks", ARCHITECTURE.md "Outgoing webhooks"): an API key's endpoints
 * (`/api/api-keys/:keyId/webhooks`) and the delivery worker that sends the outbox (WebhookOutboxModule, which the
 * domains whose changes are reported import to write it) to them. Part of auth: an endpoint belongs to an API key
 * and lives and dies with it.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([WebhookEndpointEntity, WebhookEventEntity, WebhookDeliveryEntity, WebhookDeliveryAttemptEntity]),
    AuditModule,
    AuthModule,
  ],
  controllers: [WebhooksController],
  providers: [WebhooksRepository, WebhooksService, WebhookSecretBox, WebhookSender, WebhookDeliveryWorker],
})
export class WebhooksModule {}
