import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsUUID } from 'class-validator';

/**
 * A uuid field that names a row: validated, and lower-cased as PostgreSQL prints uuids. Code that compares it
 * with an id it read (an admin's own id, an account name such as `user:<id>`) then compares like with like:
 * an upper-cased id must not pass "not your own account" nor book money to an account no wallet reads.
 */
export function IsUuidKey(field: string): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.toLowerCase() : value)),
    IsUUID('all', { message: `${field} must be a UUID` }),
  );
}
