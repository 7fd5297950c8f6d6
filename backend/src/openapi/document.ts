import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

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
        '`{statusCode, error:{code, message, details?}, requestId}`.',
    )
    .setVersion(version)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .addCookieAuth('access_token', { type: 'apiKey', in: 'cookie', name: 'access_token' }, 'access_token')
    .build();
  const doc = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (_controllerKey, methodKey) => methodKey,
  });
  const paths = sortKeys(doc.paths) as OpenAPIObject['paths'];
  const components = sortKeys(doc.components) as OpenAPIObject['components'];
  return { ...doc, paths, components };
}
