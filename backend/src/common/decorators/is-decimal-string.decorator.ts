import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, ValidateBy, ValidationArguments } from 'class-validator';
import { dec } from '../money/decimal';

export interface DecimalStringOptions {
  /** Smallest allowed value, inclusive unless `exclusiveMin`. */
  min?: string;
  exclusiveMin?: boolean;
  max?: string;
  /** Most digits after the point. */
  maxScale?: number;
  /** Allow a leading '-' (adjustments). Zero is still checked against `min`. */
  signed?: boolean;
  optional?: boolean;
  description?: string;
  example?: string;
}

/**
 * Money and quantities travel as decimal strings. This validates the string
 * (no exponent, no NaN, no number type, bounded scale and range) and describes
 * exactly that in the OpenAPI schema, so the spec cannot drift from what is
 * enforced.
 */
export function IsDecimalString(opts: DecimalStringOptions = {}): PropertyDecorator {
  const maxScale = opts.maxScale ?? 18;
  const pattern = `^${opts.signed ? '-?' : ''}(0|[1-9]\\d{0,19})(\\.\\d{1,${maxScale}})?$`;
  const regex = new RegExp(pattern);
  const describe = [
    opts.description,
    `Decimal string with at most ${maxScale} decimals`,
    opts.min !== undefined ? `${opts.exclusiveMin ? '>' : '≥'} ${opts.min}` : undefined,
    opts.max !== undefined ? `≤ ${opts.max}` : undefined,
  ]
    .filter(Boolean)
    .join('; ');
  const validator = ValidateBy({
    name: 'isDecimalString',
    validator: {
      validate(value: unknown): boolean {
        if (typeof value !== 'string' || !regex.test(value)) return false;
        const v = dec(value);
        if (opts.min !== undefined && (opts.exclusiveMin ? v.lte(opts.min) : v.lt(opts.min))) return false;
        if (opts.max !== undefined && v.gt(opts.max)) return false;
        return true;
      },
      defaultMessage(args?: ValidationArguments): string {
        const field = args?.property ?? 'value';
        const value = args?.value;
        if (typeof value !== 'string') return `${field} must be a decimal string such as "12.50"`;
        if (!regex.test(value)) return `${field} must be a plain decimal string with at most ${maxScale} decimals (no exponent, sign or spaces)`;
        const range = [
          opts.min !== undefined ? `${opts.exclusiveMin ? 'greater than' : 'at least'} ${opts.min}` : '',
          opts.max !== undefined ? `at most ${opts.max}` : '',
        ]
          .filter(Boolean)
          .join(' and ');
        return `${field} must be ${range}`;
      },
    },
  });
  const doc = (opts.optional ? ApiPropertyOptional : ApiProperty)({ type: 'string', pattern, description: describe, example: opts.example ?? '0.5' });
  return applyDecorators(...(opts.optional ? [IsOptional()] : []), validator, doc) as PropertyDecorator;
}
