export { createClient } from './client';
export type { ClientOptions, CryptoVaultClient, HttpMethod, Operation, PathsWith, RequestOptions, ResponseOf } from './client';
export { CryptoVaultApiError, isApiError } from './errors';
export type { ApiErrorBody, ApiErrorDetail } from './errors';
export type { components, operations, paths } from './generated/openapi';
export { API_KEY_HEADERS, canonicalRequest, ed25519PrivateKey, signRequest } from './signing';
export type { RequestToSign } from './signing';
export { verifyWebhook, WEBHOOK_EVENT_TYPES, WEBHOOK_HEADERS, webhookSignatureHeader, WebhookVerificationError } from './webhooks';
export type { VerifyWebhookOptions, WebhookEvent, WebhookEventData, WebhookEventType, WebhookFailure } from './webhooks';

import type { components } from './generated/openapi';

/** Shorthands for the schemas a trading program uses most. */
export type Order = components['schemas']['OrderDto'];
export type CreateOrder = components['schemas']['CreateOrderDto'];
