import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ErrorDetail, validationFailed } from '../errors/app-error';

/** Rules that say what kind of value a field takes: the first thing to tell about a value of the wrong kind. */
const KIND = ['isDefined', 'isNotEmpty', 'nestedValidation', 'isString', 'isInt', 'isNumber', 'isBoolean', 'isDate', 'isObject', 'isArray'];
/** Rules about how long or how large: told before the format of a value that is there but too long. */
const SIZE = ['isLength', 'minLength', 'maxLength', 'min', 'max', 'arrayMaxSize'];
/** Size rules that only mislead about a value that is not there ("at most 254 characters" for a missing email). */
const UPPER_BOUNDS = new Set(['maxLength', 'max', 'arrayMaxSize']);

function missing(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/**
 * The one message a field gets when several of its rules fail: a field the request may not carry; then what
 * kind of value it takes; then, for a value that is there, its size before its format (a 300-character email is
 * too long, a 65-character label too long even with an angle bracket in it); for a value that is missing, never
 * an upper bound. Rules of our own (decimal strings, passwords, ids) come after and say the rest themselves.
 */
function mostRelevant(e: ValidationError): string {
  const constraints = e.constraints ?? {};
  if (constraints.whitelistValidation) return `${e.property} is not an allowed field`;
  const absent = missing(e.value);
  const rank = (name: string): number => {
    const kind = KIND.indexOf(name);
    if (kind >= 0) return kind;
    const size = SIZE.indexOf(name);
    if (size >= 0) return absent && UPPER_BOUNDS.has(name) ? 300 + size : 100 + size;
    return 200;
  };
  // class-validator lists a property's rules last-declared first; ties keep the order they were declared in.
  const names = Object.keys(constraints).reverse();
  const best = names.reduce((a, b) => (rank(b) < rank(a) ? b : a));
  return constraints[best];
}

function flatten(errors: ValidationError[], parent = ''): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  for (const e of errors) {
    const field = parent ? `${parent}.${e.property}` : e.property;
    // One message a field: its most relevant rule; rules of a nested object are told only when the object itself is fine.
    if (e.constraints && Object.keys(e.constraints).length) out.push({ field, message: mostRelevant(e) });
    else if (e.children?.length) out.push(...flatten(e.children, field));
  }
  const seen = new Set<string>();
  return out.filter((d) => !seen.has(d.field ?? '') && seen.add(d.field ?? ''));
}

/** Global validation: whitelist, unknown fields refused, types transformed, one 400 shape with one message a field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: false,
    // The value is read (never returned) to tell a missing value from one that is there: see mostRelevant.
    validationError: { target: false, value: true },
    exceptionFactory: (errors) => validationFailed(flatten(errors)),
  });
}
