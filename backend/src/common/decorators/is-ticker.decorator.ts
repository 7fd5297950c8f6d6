import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Matches } from 'class-validator';

/**
 * An asset ticker in a body or query (`btc` → `BTC`): trimmed and upper-cased,
 * then 1–16 letters or digits. Whether the asset is listed is the service's
 * business (422 UNKNOWN_ASSET), not the validator's.
 */
export function IsTicker(opts: { optional?: boolean; description?: string } = {}): PropertyDecorator {
  const doc = (opts.optional ? ApiPropertyOptional : ApiProperty)({ example: 'BTC', description: opts.description ?? 'Asset ticker (case-insensitive)' });
  return applyDecorators(
    ...(opts.optional ? [IsOptional()] : []),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value)),
    IsString(),
    Matches(/^[A-Z0-9]{1,16}$/, { message: 'symbol must be a ticker such as BTC' }),
    doc,
  ) as PropertyDecorator;
}
