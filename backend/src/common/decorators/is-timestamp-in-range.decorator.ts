import { ValidateBy, ValidationOptions } from 'class-validator';

/** The years a timestamp of this API may carry: four-digit years, which JavaScript and PostgreSQL (4713 BC–294276 AD) both hold. */
export const MIN_YEAR = 1;
export const MAX_YEAR = 9999;

/** Whether a Date (or date string) is a real instant within years 0001–9999 UTC. */
export function isTimestampInRange(value: unknown): boolean {
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) return false;
  const year = date.getUTCFullYear();
  return year >= MIN_YEAR && year <= MAX_YEAR;
}

/**
 * A date filter (Date or ISO-8601 string) within years 0001–9999: `-9999-01-01`
 * or `+275760-09-13` are valid JavaScript dates that PostgreSQL refuses (22008),
 * so they are a 400 here instead of a 500 there. Use beside the format check.
 */
export function IsTimestampInRange(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isTimestampInRange',
      validator: {
        validate: isTimestampInRange,
        defaultMessage: () => `Choose a date between the years ${MIN_YEAR} and ${MAX_YEAR}`,
      },
    },
    options,
  );
}
