import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ValidateBy } from 'class-validator';
import { isUuid } from '../pipes/id.pipes';

/**
 * A uuid field that names a row: validated against the one UUID pattern (that of `UuidPipe`), and lower-cased as
 * PostgreSQL prints uuids. Code that compares it with an id it read (an admin's own id, an account name such as
 * `user:<id>`) then compares like with like: an upper-cased id must not pass "not your own account" nor book money
 * to an account no wallet reads.
 */
export function IsUuidKey(field: string): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.toLowerCase() : value)),
    ValidateBy({ name: 'isUuidKey', validator: { validate: (value: unknown) => isUuid(value), defaultMessage: () => `${field} must be a UUID` } }),
  );
}
