import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ValidateBy } from 'class-validator';
import { isUuid } from '../pipes/id.pipes';

/**
 * A uuid field that names a row: validated against the one UUID pattern (that of `UuidPipe`), and lower-cased as
 * PostgreSQL prints uuids. Code that compares it with an id it read (an admin's own id, an account name such as
 * `user:<id>`) then compares like with like: an upper-cased id must not pass "not your own account" nor book money
 * to an account no wallet reads. `message` is what a person is told when it is missing or not an id
 * ("Choose one of your saved addresses"); by default it names `field`.
 */
export function IsUuidKey(field: string, message = `Enter a valid ${field} (an id like 5f0c6a2e-4f5b-4a39-9a53-1b8f6c1f2d11)`): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.toLowerCase() : value)),
    ValidateBy({ name: 'isUuidKey', validator: { validate: (value: unknown) => isUuid(value), defaultMessage: () => message } }),
  );
}
