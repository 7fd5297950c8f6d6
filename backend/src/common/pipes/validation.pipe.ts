import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ErrorDetail, validationFailed } from '../errors/app-error';

function flatten(errors: ValidationError[], parent = ''): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  for (const e of errors) {
    const field = parent ? `${parent}.${e.property}` : e.property;
    if (e.constraints) {
      // One clear message a field: the first failing rule (class-validator lists them in declaration order).
      const messages = Object.entries(e.constraints);
      const whitelist = messages.find(([k]) => k === 'whitelistValidation');
      out.push({ field, message: whitelist ? `${field} is not an allowed field` : messages[0][1] });
    }
    if (e.children?.length) out.push(...flatten(e.children, field));
  }
  return out;
}

/** Global validation: whitelist, unknown fields refused, types transformed, one 400 shape. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationFailed(flatten(errors)),
  });
}
