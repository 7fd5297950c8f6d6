import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Matches } from 'class-validator';

export interface TickerOptions {
  optional?: boolean;
  description?: string;
  /** Fewest and most letters or digits (default 1–16). */
  minLength?: number;
  maxLength?: number;
}

/**
 * An asset ticker in a body or query (`btc` → `BTC`): trimmed and upper-cased,
 * then `minLength`–`maxLength` letters or digits, with one plain message ("Enter
 * a ticker like BTC") whatever is wrong with it. Whether the asset is listed is
 * the service's business (422 UNKNOWN_ASSET), not the validator's.
 */
export function IsTicker(opts: TickerOptions = {}): PropertyDecorator {
  const min = opts.minLength ?? 1;
  const max = opts.maxLength ?? 16;
  const message = `Enter a ticker like BTC (${min === 1 ? 'up to' : `${min} to`} ${max} letters and digits)`;
  const doc = (opts.optional ? ApiPropertyOptional : ApiProperty)({
    example: 'BTC',
    pattern: `^[A-Za-z0-9]{${min},${max}}$`,
    minLength: min,
    maxLength: max,
    description: `${opts.description ?? 'Asset ticker'}: ${min === 1 ? 'up to' : `${min} to`} ${max} letters and digits, case-insensitive`,
  });
  return applyDecorators(
    ...(opts.optional ? [IsOptional()] : []),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value)),
    IsString({ message }),
    Matches(new RegExp(`^[A-Z0-9]{${min},${max}}$`), { message }),
    doc,
  ) as PropertyDecorator;
}
