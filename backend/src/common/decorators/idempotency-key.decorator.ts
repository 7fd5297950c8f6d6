import { applyDecorators, createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { Request } from 'express';
import { validationFailed } from '../errors/app-error';

const VALID = /^[A-Za-z0-9_.:-]{1,200}$/;

/**
 * The optional `Idempotency-Key` header of a money-moving POST, validated
 * (1–200 characters of letters, digits and `_ . : -`; anything else is a 400).
 * Reads the header itself so OpenAPI documents it once, through {@link ApiIdempotencyKey}.
 */
export const IdempotencyKey = createParamDecorator((_: unknown, ctx: ExecutionContext): string | undefined => {
  const raw = ctx.switchToHttp().getRequest<Request>().headers['idempotency-key'];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !VALID.test(raw)) {
    throw validationFailed([{ field: 'Idempotency-Key', message: 'Idempotency-Key must be 1–200 letters, digits or _ . : -' }]);
  }
  return raw;
});

/** Documents the header on an operation. */
export const ApiIdempotencyKey = (description: string): MethodDecorator =>
  applyDecorators(ApiHeader({ name: 'Idempotency-Key', required: false, description, schema: { type: 'string', pattern: VALID.source, maxLength: 200 } }));
