import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import {
  MAX_WEBHOOK_URL_LENGTH,
  WEBHOOK_DELIVERY_ERRORS,
  WEBHOOK_DELIVERY_STATUSES,
  WEBHOOK_EVENT_TYPES,
  type WebhookDeliveryError,
  type WebhookDeliveryStatus,
  type WebhookEventType,
} from '../webhook-events';

const URL_MESSAGE = { message: 'Enter a URL of at most 2048 characters' };
const EVENTS_MESSAGE = { message: 'Choose one or more of order.filled, order.cancelled, deposit.credited, withdrawal.updated and alert.triggered' };
const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

export class CreateWebhookDto {
  @ApiProperty({
    example: 'https://bot.example.com/cryptovault/webhooks',
    minLength: 1,
    maxLength: MAX_WEBHOOK_URL_LENGTH,
    description:
      'Where the events are POSTed: an https URL (http too outside production), at most 2048 characters, without a user name or password, ' +
      'whose host resolves only to public addresses (422 WEBHOOK_URL_NOT_ALLOWED otherwise). Redirects are never followed',
  })
  @Transform(trim)
  @IsString(URL_MESSAGE)
  @MinLength(1, URL_MESSAGE)
  @MaxLength(MAX_WEBHOOK_URL_LENGTH, URL_MESSAGE)
  url: string;

  @ApiProperty({
    enum: WEBHOOK_EVENT_TYPES,
    enumName: 'WebhookEventType',
    isArray: true,
    minItems: 1,
    maxItems: WEBHOOK_EVENT_TYPES.length,
    uniqueItems: true,
    description: 'The events it receives, one or more; only events about your own account are ever sent',
  })
  @IsArray(EVENTS_MESSAGE)
  @ArrayMinSize(1, EVENTS_MESSAGE)
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length, EVENTS_MESSAGE)
  @ArrayUnique(EVENTS_MESSAGE)
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true, ...EVENTS_MESSAGE })
  events: WebhookEventType[];
}

export class WebhookEndpointDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid', description: 'The API key it belongs to' }) keyId: string;
  @ApiProperty() url: string;
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, enumName: 'WebhookEventType', isArray: true }) events: WebhookEventType[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class CreatedWebhookEndpointDto extends WebhookEndpointDto {
  @ApiProperty({
    example: 'whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8',
    description:
      'The signing secret: `whsec_` and 32 random bytes in base64url. Shown in this answer only: every delivery carries ' +
      '`CryptoVault-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`',
  })
  secret: string;
}

export class WebhookEndpointListDto {
  @ApiProperty({ type: [WebhookEndpointDto], description: 'Newest first; never a secret' }) items: WebhookEndpointDto[];
  @ApiProperty({ description: 'How many endpoints a key may have', example: 5 }) max: number;
}

export class WebhookDeliveryAttemptDto {
  @ApiProperty({ format: 'uuid', description: 'The event id (the same in every attempt and redelivery: de-duplicate on it)' }) eventId: string;
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, enumName: 'WebhookEventType' }) type: WebhookEventType;
  @ApiProperty({ type: 'integer', description: "The attempt's number for this event at this endpoint, from 1" }) attempt: number;
  @ApiProperty({ format: 'date-time' }) attemptedAt: string;
  @ApiProperty({ type: 'integer', nullable: true, description: 'The HTTP status the endpoint answered; null when none came (see error)' })
  statusCode: number | null;
  @ApiProperty({
    enum: WEBHOOK_DELIVERY_ERRORS,
    enumName: 'WebhookDeliveryError',
    nullable: true,
    description:
      'Why no answer came: `timeout` (none within 10 s), `connection_failed`, `dns_failed`, `tls_failed`, `address_not_allowed` ' +
      '(the host resolved to a private, loopback or link-local address), `secret_unreadable` (make the endpoint again); null when a status came',
  })
  error: WebhookDeliveryError | null;
  @ApiProperty({ type: String, nullable: true, description: 'The first 1,024 bytes of the response body, as text' }) responseSnippet: string | null;
  @ApiProperty({ type: 'integer', description: 'How long the attempt took, in milliseconds' }) durationMs: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the next attempt was scheduled after this one; null: none' })
  nextRetryAt: string | null;
  @ApiProperty({
    enum: WEBHOOK_DELIVERY_STATUSES,
    enumName: 'WebhookDeliveryStatus',
    description:
      "Where this event's delivery to the endpoint stands now: `pending` (an attempt is scheduled), `delivered`, `failed` (no 2xx within 24 h), " +
      '`stopped` (the API key was revoked or expired first)',
  })
  deliveryStatus: WebhookDeliveryStatus;
}

export class WebhookDeliveryLogDto {
  @ApiProperty({ type: [WebhookDeliveryAttemptDto], description: 'Newest attempt first' }) items: WebhookDeliveryAttemptDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class WebhookRedeliveryDto {
  @ApiProperty({ format: 'uuid' }) eventId: string;
  @ApiProperty({
    enum: ['pending'],
    enumName: 'WebhookRedeliveryStatus',
    description: 'The delivery is queued: the next worker round sends it, with the same event id',
  })
  status: 'pending';
}
