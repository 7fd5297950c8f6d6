/** The events an endpoint can subscribe to (API.md "Webhooks"), each carrying the REST API's shape of its object. */
export const WEBHOOK_EVENT_TYPES = ['order.filled', 'order.cancelled', 'deposit.credited', 'withdrawal.updated', 'alert.triggered'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** At most this many endpoints per API key, and per account over all its live keys. */
export const MAX_WEBHOOKS_PER_KEY = 5;
export const MAX_WEBHOOKS_PER_USER = 20;
/** The longest endpoint URL we take. */
export const MAX_WEBHOOK_URL_LENGTH = 2048;
/** A delivery that has no 2xx answer within this long is a failed attempt. */
export const WEBHOOK_TIMEOUT_MS = 10_000;
/** What is kept of a response body (the delivery log's snippet). */
export const WEBHOOK_SNIPPET_BYTES = 1024;
/** Failed attempts are retried until this long after the event; then the delivery has failed for good. */
export const WEBHOOK_RETRY_WINDOW_MS = 24 * 3_600_000;
/** The longest wait between two attempts. */
export const WEBHOOK_MAX_RETRY_WAIT_MS = 4 * 3_600_000;
/** Events (and their delivery log) are kept this many days, then deleted once nothing of them is pending. */
export const WEBHOOK_RETENTION_DAYS = 30;

/** Why an attempt got no HTTP answer (or never went out); shown in the delivery log. */
export const WEBHOOK_DELIVERY_ERRORS = ['timeout', 'connection_failed', 'dns_failed', 'tls_failed', 'address_not_allowed', 'secret_unreadable'] as const;
export type WebhookDeliveryError = (typeof WEBHOOK_DELIVERY_ERRORS)[number];

/**
 * A delivery (one event to one endpoint): `pending` (an attempt is due or scheduled), `delivered` (a 2xx came back),
 * `failed` (no 2xx within 24 hours of the event), `stopped` (the endpoint's API key was revoked or expired, or its
 * owner suspended or frozen, before it was delivered).
 */
export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'stopped'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];
