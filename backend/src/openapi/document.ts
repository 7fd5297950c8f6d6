import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { apiKeySchemeDescription } from '../auth/api-keys/api-key-example';
import { API_KEY_SECURITY_SCHEME } from '../auth/api-keys/api-key-scope.decorator';

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/**
 * The OpenAPI document: operationId = handler name (unique across the app),
 * paths and schemas sorted so the file is deterministic.
 */
export function buildOpenApiDocument(app: INestApplication, version: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('CryptoVault API')
    .setDescription(
      'Retail crypto trading: accounts, market data, orders, portfolio, wallet, alerts and the back office. ' +
        'Money and quantities are decimal strings; timestamps ISO-8601 UTC; every error has the shape ' +
        '`{statusCode, error:{code, message, details?}, requestId}`. Request bodies are JSON only ' +
        "(`Content-Type: application/json`, else 415 UNSUPPORTED_MEDIA_TYPE). A browser's state-changing request must come " +
        "from the app's own origin or one on the CORS allow-list (403 ORIGIN_NOT_ALLOWED) and, when a cookie authenticates it, " +
        "echo its session's CSRF token (GET /api/csrf, also set as the csrf_token cookie at login) in X-CSRF-Token (403 CSRF_INVALID). " +
        'The WebSocket API (`/ws/prices`, `/ws/prices/{symbol}`, `/ws/user`) is described by an AsyncAPI 3.0 document at ' +
        '[/asyncapi.json](/asyncapi.json), readable at [/docs/asyncapi](/docs/asyncapi).',
    )
    .setVersion(version)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .addCookieAuth('access_token', { type: 'apiKey', in: 'cookie', name: 'access_token' }, 'access_token')
    // Signed API-key requests: OpenAPI has no request-signature scheme, so the key id header with the whole rule and a worked example.
    .addApiKey({ type: 'apiKey', in: 'header', name: 'CV-API-KEY', description: apiKeySchemeDescription() }, API_KEY_SECURITY_SCHEME)
    .build();
  const doc = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (_controllerKey, methodKey) => methodKey,
  });
  documentJsonOnly(doc);
  const paths = sortKeys(doc.paths) as OpenAPIObject['paths'];
  const components = sortKeys(doc.components) as OpenAPIObject['components'];
  return { ...doc, paths, components };
}

/** Every operation that takes a body answers 415 to a body that is not JSON (requireJsonBody), webhooks aside. */
function documentJsonOnly(doc: OpenAPIObject): void {
  for (const [path, item] of Object.entries(doc.paths)) {
    if (path.startsWith('/api/wallet/webhook/')) continue;
    for (const method of ['post', 'put', 'patch', 'delete'] as const) {
      const op = item[method];
      if (!op?.requestBody || op.responses['415']) continue;
      op.responses['415'] = {
        description: 'The body is not JSON (UNSUPPORTED_MEDIA_TYPE)',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponseDto' } } },
      };
    }
  }
}
