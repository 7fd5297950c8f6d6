import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, type AuthUser, CurrentUser } from '../../../common/auth/auth-user';
import { ApiErrors } from '../../../common/dto/error-response.dto';
import { PageQueryDto } from '../../../common/dto/pagination.dto';
import { UuidPipe } from '../../../common/pipes/id.pipes';
import { RequiresStepUp } from '../../step-up/requires-step-up.decorator';
import {
  CreatedWebhookEndpointDto,
  CreateWebhookDto,
  WebhookDeliveryLogDto,
  WebhookEndpointDto,
  WebhookEndpointListDto,
  WebhookRedeliveryDto,
} from './dto/webhook.dto';
import { WebhooksService } from './webhooks.service';

/**
 * An API key's webhook endpoints (API.md "Webhooks"), managed from a signed-in session only: like the keys
 * themselves these routes take no API key (no @ApiKeyScope: 403 API_KEY_NOT_ALLOWED). Making an endpoint needs a
 * step-up, which a key cannot give, and a key that could add an endpoint could send the account's events, deposits
 * and withdrawals included, anywhere, whatever its scopes.
 */
@ApiTags('webhooks')
@Controller('api/api-keys/:keyId/webhooks')
@Authenticated()
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Get()
  @ApiOperation({ summary: "The API key's webhook endpoints, newest first (never a secret)" })
  @ApiOkResponse({ type: WebhookEndpointListDto })
  @ApiErrors(400, 403, 404, 429)
  listWebhooks(@CurrentUser() user: AuthUser, @Param('keyId', UuidPipe) keyId: string): Promise<WebhookEndpointListDto> {
    return this.webhooks.list(user, keyId);
  }

  @Post()
  @RequiresStepUp()
  @ApiOperation({
    summary: 'Add a webhook endpoint to an API key: the URL and the events it receives; answers its signing secret, once',
    description:
      'Needs a fresh step-up of this session. The URL must be https (http too outside production) and its host resolve only to public ' +
      'addresses (422 WEBHOOK_URL_NOT_ALLOWED). At most 5 endpoints per key and 20 per account (422 LIMIT_EXCEEDED); 409 INVALID_STATE ' +
      'for a revoked or expired key. Audited, and told to the owner (security notice `webhook_created`, email and notification).',
  })
  @ApiCreatedResponse({ type: CreatedWebhookEndpointDto })
  @ApiErrors(400, 403, 404, 409, 422, 429)
  createWebhook(@CurrentUser() user: AuthUser, @Param('keyId', UuidPipe) keyId: string, @Body() dto: CreateWebhookDto): Promise<CreatedWebhookEndpointDto> {
    return this.webhooks.create(user, keyId, dto);
  }

  @Delete(':webhookId')
  @ApiOperation({ summary: 'Delete a webhook endpoint: nothing more is sent to it; its delivery log goes with it. Audited' })
  @ApiOkResponse({ type: WebhookEndpointDto })
  @ApiErrors(400, 403, 404, 429)
  deleteWebhook(
    @CurrentUser() user: AuthUser,
    @Param('keyId', UuidPipe) keyId: string,
    @Param('webhookId', UuidPipe) webhookId: string,
  ): Promise<WebhookEndpointDto> {
    return this.webhooks.remove(user, keyId, webhookId);
  }

  @Get(':webhookId/deliveries')
  @ApiOperation({
    summary: "The endpoint's delivery log, newest attempt first: each attempt's event, number, time, the status answered or why none came, the next retry",
  })
  @ApiOkResponse({ type: WebhookDeliveryLogDto })
  @ApiErrors(400, 403, 404, 429)
  listWebhookDeliveries(
    @CurrentUser() user: AuthUser,
    @Param('keyId', UuidPipe) keyId: string,
    @Param('webhookId', UuidPipe) webhookId: string,
    @Query() page: PageQueryDto,
  ): Promise<WebhookDeliveryLogDto> {
    return this.webhooks.deliveries(user, keyId, webhookId, page);
  }

  @Post(':webhookId/deliveries/:eventId/redeliver')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send an event to the endpoint once more (same event id), delivered or not; retried like any delivery within 24 hours of the event. Audited',
    description:
      '409 INVALID_STATE while that event is being sent to it, or when the API key is revoked or expired; 429 RATE_LIMITED (with Retry-After) ' +
      'within 30 seconds of its last attempt there.',
  })
  @ApiAcceptedResponse({ type: WebhookRedeliveryDto })
  @ApiErrors(400, 403, 404, 409, 429)
  redeliverWebhookEvent(
    @CurrentUser() user: AuthUser,
    @Param('keyId', UuidPipe) keyId: string,
    @Param('webhookId', UuidPipe) webhookId: string,
    @Param('eventId', UuidPipe) eventId: string,
  ): Promise<WebhookRedeliveryDto> {
    return this.webhooks.redeliver(user, keyId, webhookId, eventId);
  }
}
