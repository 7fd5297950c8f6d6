import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { validationFailed } from '../errors/app-error';

/** A UUID of any version, as PostgreSQL's `uuid` type reads it in our canonical form (8-4-4-4-12 hex). */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_PATTERN.test(value);
}

/** The largest `bigint` (int8) PostgreSQL holds: 2^63 - 1. */
export const BIGINT_MAX = 9223372036854775807n;
const DIGITS = /^(0|[1-9][0-9]{0,18})$/;

/** A non-negative decimal integer that fits PostgreSQL's `bigint`, without leading zeros or a sign. */
export function isBigintId(value: unknown): value is string {
  return typeof value === 'string' && DIGITS.test(value) && BigInt(value) <= BIGINT_MAX;
}

function invalidParam(metadata: ArgumentMetadata, what: string) {
  const field = metadata.data ?? 'id';
  return validationFailed([{ field, message: `${field} must be ${what}` }]);
}

/**
 * Path ids of uuid keys: anything else is 400 VALIDATION_FAILED before the handler runs (`@Param('id', UuidPipe)`).
 * Lower-cased, as PostgreSQL prints uuids, so a handler comparing it with an id it read compares like with like.
 */
@Injectable()
export class UuidPipe implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    if (!isUuid(value)) throw invalidParam(metadata, 'a UUID');
    return value.toLowerCase();
  }
}

/** Path ids of bigint keys (ledger entries, audit rows): digits within PostgreSQL's bigint range, else 400. */
@Injectable()
export class BigintIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    if (!isBigintId(value)) throw invalidParam(metadata, 'a whole number below 2^63');
    return value;
  }
}
