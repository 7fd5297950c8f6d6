import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, ValidateBy, ValidationArguments } from 'class-validator';
import { dec } from '../money/decimal';
import { groupDigits } from './validation-messages';

export interface DecimalStringOptions {
  /** Smallest allowed value, inclusive unless `exclusiveMin`. */
  min?: string;
  exclusiveMin?: boolean;
  /** Largest allowed value (inclusive); without it the whole part has at most 20 digits. */
  max?: string;
  /** Most digits after the point. */
  maxScale?: number;
  /** Allow a leading '-' (adjustments). Zero is still checked against `min`. */
  signed?: boolean;
  optional?: boolean;
  description?: string;
  example?: string;
  /** The field in words with its article, as messages name it: "an amount", "a target price". Default: "a number". */
  label?: string;
}

/** A number as people write it, whatever its size or scale: digits, at most one point, an optional minus. */
const NUMBER_LIKE = /^-?\d+(\.\d+)?$/;
/** The digits a whole part may have when no `max` bounds it. */
const MAX_WHOLE_DIGITS = 20;

/**
 * Why `value` is refused, as one message a person can act on, the most relevant first: nothing entered, not a
 * number, too large, too small, too many decimals; or null when it is accepted. A 40-digit number is too large
 * (not "at most 8 decimals"); "-5" for an amount above 0 is too small (not malformed).
 */
export function decimalStringProblem(value: unknown, opts: DecimalStringOptions = {}): string | null {
  const label = opts.label ?? 'a number';
  const maxScale = opts.maxScale ?? 18;
  const example = opts.example ?? (maxScale === 2 ? '12.50' : '0.5');
  if (value === undefined || value === null || value === '') return `Enter ${label}, like ${example}`;
  if (typeof value !== 'string') return `Send ${label} as text in quotes, like "${example}"`;
  const shape = opts.signed ? '100 or -100' : maxScale === 2 ? '250 or 12.50' : '250 or 0.5';
  if (!NUMBER_LIKE.test(value) || /^-?0\d/.test(value)) return `Enter ${label} like ${shape}`;
  const v = dec(value);
  const whole = value.replace(/^-/, '').split('.')[0];
  const max = opts.max !== undefined ? dec(opts.max) : undefined;
  const lowest = opts.signed && opts.min !== undefined && dec(opts.min).isNegative() ? dec(opts.min) : undefined;
  if ((max && v.gt(max)) || (lowest && v.lt(lowest)) || whole.length > MAX_WHOLE_DIGITS) {
    const bound = max ? groupDigits(max.toFixed()) : `${MAX_WHOLE_DIGITS} digits before the point`;
    return `That number is too large (at most ${bound}${lowest ? ' either way' : ''})`;
  }
  if (value.startsWith('-') && !opts.signed) return minimumMessage(label, opts) ?? `Enter ${label} like ${shape}`;
  if (opts.min !== undefined && (opts.exclusiveMin ? v.lte(opts.min) : v.lt(opts.min))) return minimumMessage(label, opts);
  const fraction = value.split('.')[1] ?? '';
  if (fraction.length > maxScale) return maxScale === 0 ? 'Use a whole number, without decimals' : `Use at most ${maxScale} decimals`;
  return null;
}

function minimumMessage(label: string, opts: DecimalStringOptions): string | null {
  if (opts.min === undefined) return null;
  const min = groupDigits(dec(opts.min).toFixed());
  return opts.exclusiveMin ? `Enter ${label} more than ${min}` : `Enter ${label} of ${min} or more`;
}

/** The rules of a decimal field in plain words, for its OpenAPI description. */
function describeRules(opts: DecimalStringOptions, maxScale: number): string {
  const parts = [`A number written as text, like "${opts.example ?? '0.5'}"`];
  if (opts.min !== undefined && !(opts.signed && dec(opts.min).isNegative())) {
    parts.push(opts.exclusiveMin ? `more than ${groupDigits(opts.min)}` : `${groupDigits(opts.min)} or more`);
  }
  if (opts.max !== undefined)
    parts.push(
      `at most ${groupDigits(opts.max)}${opts.signed && opts.min !== undefined && dec(opts.min).isNegative() ? ' either way (a minus sign allowed)' : ''}`,
    );
  parts.push(maxScale === 0 ? 'no decimals' : `at most ${maxScale} decimals`);
  return `${parts.join(', ')}; no spaces, thousands separators or exponent.`;
}

/**
 * Money and quantities travel as decimal strings. This validates the string
 * (no exponent, no NaN, no number type, bounded scale and range), answers with
 * one plain message (`decimalStringProblem`), and describes exactly those rules
 * in the OpenAPI schema (`pattern`, `maxLength`, the description), so the spec
 * and clients generated from it cannot drift from what is enforced.
 */
export function IsDecimalString(opts: DecimalStringOptions = {}): PropertyDecorator {
  const maxScale = opts.maxScale ?? 18;
  const wholeDigits = opts.max !== undefined ? dec(opts.max).abs().toFixed(0).length : MAX_WHOLE_DIGITS;
  const sign = opts.signed ? '-?' : '';
  const pattern = `^${sign}(0|[1-9]\\d{0,${wholeDigits - 1}})${maxScale > 0 ? `(\\.\\d{1,${maxScale}})?` : ''}$`;
  const maxLength = (opts.signed ? 1 : 0) + wholeDigits + (maxScale > 0 ? 1 + maxScale : 0);
  const rules = describeRules(opts, maxScale);
  const description = opts.description ? `${opts.description.replace(/[.\s]+$/, '')}. ${rules}` : rules;
  const validator = ValidateBy({
    name: 'isDecimalString',
    validator: {
      validate: (value: unknown): boolean => decimalStringProblem(value, opts) === null,
      defaultMessage: (args?: ValidationArguments): string => decimalStringProblem(args?.value, opts) ?? '',
    },
  });
  const doc = (opts.optional ? ApiPropertyOptional : ApiProperty)({ type: 'string', pattern, maxLength, description, example: opts.example ?? '0.5' });
  return applyDecorators(...(opts.optional ? [IsOptional()] : []), validator, doc) as PropertyDecorator;
}
