/**
 * The worked example of API.md "Webhooks" ("Verifying a delivery"): a fixed secret (bytes 0x00…0x1f: never use it),
 * timestamp and body, and the signature they give. `webhook-signature.spec.ts` recomputes it, so the document cannot
 * drift from the code.
 */
export const WEBHOOK_WORKED_EXAMPLE = {
  secret: 'whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8',
  timestamp: 1767225600,
  body:
    '{"id":"5f0c1f7e-2b8a-4d53-9c1e-3a7b9d2e4f60","type":"order.filled","createdAt":"2026-01-01T00:00:00.000Z","data":' +
    '{"id":"9b2f4c1a-6d3e-4f5a-8b7c-1d2e3f4a5b6c","symbol":"BTC","side":"buy","type":"market","status":"filled",' +
    '"quantity":"0.00050000","quoteAmount":"50.00","limitPrice":null,"stopPrice":null,"filledPrice":"100000.00","fee":"0.05",' +
    '"feeAsset":"USD","createdAt":"2026-01-01T00:00:00.000Z","filledAt":"2026-01-01T00:00:00.000Z","sizedBy":"quantity",' +
    '"reservedAsset":null,"reservedAmount":null}}',
  signature: '31ac610b3ec5d212915dabb116e486a5e72c1f19f62fffba06ea91eddfc37659',
  header: 't=1767225600,v1=31ac610b3ec5d212915dabb116e486a5e72c1f19f62fffba06ea91eddfc37659',
} as const;
