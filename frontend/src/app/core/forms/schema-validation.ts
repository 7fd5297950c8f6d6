import { Directive, OnChanges, Pipe, PipeTransform, forwardRef, inject, input } from '@angular/core';
import { AbstractControl, NG_VALIDATORS, NgForm, ValidationErrors, Validator, Validators } from '@angular/forms';
import type { DecimalConstraints, FieldConstraints } from '../../api/constraints';
import { compareDecimals } from '../ui/decimal';
import type { Formatter } from '../ui/format';
import { DisplayFormat } from '../ui/format.pipes';

/**
 * The client's checks of what a person typed, made from the API's own rules (src/app/api/constraints.ts, generated
 * from openapi.json by `npm run sdk`), with one message a field in the words and order the server uses
 * (backend/src/common/pipes/validation.pipe.ts): what kind of value first, then its size, then its format. A form
 * sends nothing while a field has a problem; what the server still refuses shows in the same place (cvServerError).
 *
 *   <input matInput name="quantity" [(ngModel)]="quantity" required [cvField]="fields.quantity" [cvServerError]="errors.fields()['quantity']" #q="ngModel" />
 *   <mat-error>{{ q.errors | fieldError }}</mat-error>
 */

/** How messages name a field and its values, in the user's language. */
export interface FieldWords {
  /**
   * The field with its article, as "Enter … like 250 or 0.5" names it: "a quantity", "a target price" (a translator
   * gives the form that fits "Enter {$LABEL}": "eine Menge", "einen Zielpreis").
   */
  readonly label: string;
  /** What a value that does not have the field's format is told, when "Enter {label} like {example}" would not say it. */
  readonly format?: string;
  /** The words for each value of a list field ("buy" → "kaufen"); the API's values otherwise. */
  readonly choices?: Readonly<Record<string, string>>;
  /** What an empty required field is told, when "Enter {label}" does not fit (a list: "Choose an asset"). */
  readonly missing?: string;
  /** What a value too short or too long is told, when the field says it better than its length ("Enter the 6-digit code…"). */
  readonly size?: string;
}

/** A field's rules and the words its messages use. */
export interface FieldRule {
  readonly constraints: FieldConstraints;
  readonly words: FieldWords;
}

export function fieldRule(constraints: FieldConstraints, words: FieldWords): FieldRule {
  return { constraints, words };
}

/**
 * A field whose value is picked from a list the server gave (a select of saved addresses, of held assets): only
 * whether one is picked is checked; the options are the server's own values, so their format is not the person's to fix.
 */
export function choiceRule(constraints: FieldConstraints, words: FieldWords): FieldRule {
  return { constraints: { type: constraints.type, required: constraints.required }, words };
}

/**
 * The words of a ticker field: one message whatever is wrong with it, as the server's IsTicker words it ("Enter a
 * ticker like BTC (up to 16 letters and digits)"), its lengths from the schema.
 */
export function tickerWords(c: FieldConstraints): FieldWords {
  const example = c.example ?? 'BTC';
  const max = c.maxLength ?? 16;
  const min = c.minLength ?? 1;
  const message =
    min <= 1
      ? $localize`Enter a ticker like ${example}:EXAMPLE: (up to ${max}:MAX: letters and digits)`
      : $localize`Enter a ticker like ${example}:EXAMPLE: (${min}:MIN: to ${max}:MAX: letters and digits)`;
  return { label: $localize`a ticker`, missing: message, size: message, format: message };
}

/** A check of a value the schema cannot know (a minimum of the chosen asset, a balance): a message, or null when fine. */
export type FieldCheck = (value: string) => string | null;

/** A number as people write it, whatever its size or scale: digits, at most one point, an optional minus (the server's). */
const NUMBER_LIKE = /^-?\d+(\.\d+)?$/;
/** The server's example id (IsUuidKey). */
const EXAMPLE_ID = '5f0c6a2e-4f5b-4a39-9a53-1b8f6c1f2d11';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const separators = new Map<string, string>();
const patterns = new Map<string, RegExp>();

/** The decimal separator of the formatter's locale: "," in German and Spanish. */
function decimalSeparator(format: Formatter): string {
  let separator = separators.get(format.locale);
  if (separator === undefined) {
    separator = new Intl.NumberFormat(format.locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
    separators.set(format.locale, separator);
  }
  return separator;
}

/** A schema's pattern, compiled once (as the server's class-validator takes it: no flags). */
function patternOf(source: string): RegExp {
  let re = patterns.get(source);
  if (!re) {
    re = new RegExp(source);
    patterns.set(source, re);
  }
  return re;
}

/** The thousands separator of the formatter's locale: "." in German and Spanish, "," in English. */
function groupSeparator(format: Formatter): string {
  const key = `group:${format.locale}`;
  let separator = separators.get(key);
  if (separator === undefined) {
    separator = new Intl.NumberFormat(format.locale).formatToParts(1234567.5).find((p) => p.type === 'group')?.value ?? ',';
    separators.set(key, separator);
  }
  return separator;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A number as typed, as the API takes it: trimmed; thousands written as the locale groups them read as such
 * ("1.000" is a thousand in German, "1,000.50" in English: a German reading "1.000" as one would buy a thousandth of
 * what was meant); the locale's decimal comma read as the point ("0,5" → "0.5" in German). Anything else is left as
 * typed, so that the checks refuse it (an exponent, separators out of place). A point that cannot be a thousands
 * separator ("0.5", "12.75") is a decimal point in every locale.
 */
export function readDecimal(text: string, format: Formatter): string {
  let value = text.trim();
  const decimal = decimalSeparator(format);
  const group = groupSeparator(format);
  const grouped = new RegExp(`^-?\\d{1,3}(?:${escapeRe(group)}\\d{3})+(?:${escapeRe(decimal)}\\d*)?$`);
  if (grouped.test(value)) value = value.split(group).join('');
  if (decimal === '.' || value.includes('.')) return value;
  return value.split(decimal).length === 2 ? value.replace(decimal, '.') : value;
}

/** "250 or 0.5" in the reader's language and digits ("250 oder 0,5"). */
function either(format: Formatter, values: readonly string[]): string {
  return new Intl.ListFormat(format.locale, { type: 'disjunction' }).format(values);
}

/** How a number of this kind is written: "250 or 0.5", money "250 or 12.50", signed "100 or -100". */
function decimalShape(d: DecimalConstraints, format: Formatter): string {
  const examples = d.signed ? ['100', '-100'] : d.maxDecimals === 2 ? ['250', '12.50'] : ['250', '0.5'];
  return either(format, examples.map((v) => format.digits(v, false)));
}

/** The message for a value under the minimum (or negative where no minus is taken). */
function minimumMessage(label: string, d: DecimalConstraints, format: Formatter): string | null {
  if (d.min === undefined) return null;
  const min = format.digits(d.min);
  return d.exclusiveMin ? $localize`Enter ${label}:LABEL: more than ${min}:MIN:` : $localize`Enter ${label}:LABEL: of ${min}:MIN: or more`;
}

/** A number written as text: the server's decimalStringProblem (backend is-decimal-string.decorator.ts), clause for clause. */
function decimalProblem(value: string, d: DecimalConstraints, words: FieldWords, format: Formatter): string | null {
  const label = words.label;
  if (!NUMBER_LIKE.test(value) || /^-?0\d/.test(value)) return $localize`Enter ${label}:LABEL: like ${decimalShape(d, format)}:EXAMPLE:`;
  const negative = value.startsWith('-');
  const whole = value.replace(/^-/, '').split('.')[0];
  // A signed number's bound holds either way (its minimum is the maximum's negative); without a maximum, the digits do.
  const lowest = d.signed && d.min?.startsWith('-') ? d.min : undefined;
  const tooLarge =
    (d.max !== undefined && compareSigned(value, d.max) > 0) || (lowest !== undefined && compareSigned(value, lowest) < 0) || (d.max === undefined && whole.length > d.wholeDigits);
  if (tooLarge) {
    if (d.max === undefined) return $localize`That number is too large (at most ${format.digits(String(d.wholeDigits))}:DIGITS: digits before the point)`;
    const max = format.digits(d.max);
    return lowest ? $localize`That number is too large (at most ${max}:MAX: either way)` : $localize`That number is too large (at most ${max}:MAX:)`;
  }
  if (negative && !d.signed) return minimumMessage(label, d, format) ?? $localize`Enter ${label}:LABEL: like ${decimalShape(d, format)}:EXAMPLE:`;
  if (d.min !== undefined && !lowest) {
    const order = compareSigned(value, d.min);
    if (order < 0 || (order === 0 && d.exclusiveMin)) return minimumMessage(label, d, format);
  }
  const decimals = value.split('.')[1]?.length ?? 0;
  if (decimals > d.maxDecimals) {
    if (d.maxDecimals === 0) return $localize`Use a whole number, without decimals`;
    return d.maxDecimals === 1 ? $localize`Use at most 1 decimal` : $localize`Use at most ${format.digits(String(d.maxDecimals))}:COUNT: decimals`;
  }
  return null;
}

/** An email as the server's isEmail takes it: Angular's check of the address, and a top-level domain. */
function isEmail(value: string): boolean {
  return Validators.email({ value } as AbstractControl) === null && /@[^@]+\.[^@.]{2,}$/.test(value);
}

/** A length message: "Enter a name of 2 to 100 characters" for a field with both bounds, else the bound it breaks. */
function lengthMessage(c: FieldConstraints, words: FieldWords, length: number, format: Formatter): string | null {
  const min = c.minLength ?? 0;
  const max = c.maxLength;
  if (length >= min && (max === undefined || length <= max)) return null;
  if (words.size) return words.size;
  // A password is told the bound it breaks, as the server's password rule does ("Use at least 8 characters").
  if (min > 0 && max !== undefined && c.format !== 'password') return $localize`Enter ${words.label}:LABEL: of ${format.digits(String(min))}:MIN: to ${format.digits(String(max))}:MAX: characters`;
  if (max !== undefined && length > max) return $localize`That is too long (at most ${format.digits(String(max))}:MAX: characters)`;
  return $localize`Use at least ${format.digits(String(min))}:MIN: characters`;
}

/** "Enter {label} like {example}", or the form's own words for the format. */
function formatMessage(c: FieldConstraints, words: FieldWords, example = c.example): string {
  if (words.format) return words.format;
  return example ? $localize`Enter ${words.label}:LABEL: like ${example}:EXAMPLE:` : $localize`Enter ${words.label}:LABEL:`;
}

function chooseMessage(c: FieldConstraints, words: FieldWords, format: Formatter): string {
  const choices = either(format, (c.enum ?? []).map((v) => words.choices?.[v] ?? v));
  return $localize`Choose ${choices}:CHOICES:`;
}

/**
 * Why `value` is refused, as one message a person can act on; null when the server would take it. `required`
 * overrides the schema's (a field the form needs though the API takes it optionally, like an order's quantity).
 */
export function fieldProblem(value: unknown, rule: FieldRule, format: Formatter, required = rule.constraints.required): string | null {
  const c = rule.constraints;
  const words = rule.words;
  const raw = value === null || value === undefined ? '' : String(value);
  // Passwords are taken as typed; other text is trimmed, as the forms send it.
  const text = c.format === 'password' ? raw : raw.trim();
  const missing = text === '' || (c.format === 'password' && raw.trim() === '');

  if (missing) {
    if (!required) return null;
    if (words.missing) return words.missing;
    if (c.decimal) return $localize`Enter ${words.label}:LABEL:, like ${format.digits(c.example ?? (c.decimal.maxDecimals === 2 ? '12.50' : '0.5'), false)}:EXAMPLE:`;
    if (c.enum) return chooseMessage(c, words, format);
    if (c.format === 'email') return $localize`Enter a valid email address`;
    // Text with both bounds says them ("Enter a label of 1 to 64 characters"), as the server's length rule does.
    if (c.type === 'string' && c.format !== 'password' && (c.minLength ?? 0) >= 1 && c.maxLength !== undefined) return lengthMessage(c, words, 0, format);
    return $localize`Enter ${words.label}:LABEL:`;
  }

  // What kind of value.
  if (c.decimal) return decimalProblem(readDecimal(text, format), c.decimal, words, format);
  if (c.enum) return c.enum.includes(text) ? null : chooseMessage(c, words, format);
  if (c.type === 'integer' || c.type === 'number') {
    if (!(c.type === 'integer' ? /^-?\d+$/ : NUMBER_LIKE).test(text)) return c.type === 'integer' ? $localize`Choose a whole number` : formatMessage(c, words);
    if (c.minimum !== undefined && compareSigned(text, String(c.minimum)) < 0) return $localize`Choose ${format.digits(String(c.minimum))}:MIN: or more`;
    if (c.maximum !== undefined && compareSigned(text, String(c.maximum)) > 0) return $localize`Choose ${format.digits(String(c.maximum))}:MAX: or less`;
    return null;
  }
  if (c.type !== 'string') return null;

  // Its size, then its format.
  const length = lengthMessage(c, words, [...text].length, format);
  if (length) return length;
  if (c.format === 'email') return isEmail(text) ? null : $localize`Enter a valid email address`;
  if (c.format === 'uuid' && !UUID.test(text)) return formatMessage(c, words, EXAMPLE_ID);
  if (c.pattern && !patternOf(c.pattern).test(text)) return formatMessage(c, words);
  return null;
}

/** -1, 0 or 1 for two signed whole or decimal numbers (integer fields' bounds), without floats. */
function compareSigned(a: string, b: string): number {
  const na = a.startsWith('-');
  const nb = b.startsWith('-');
  if (na !== nb) return na ? -1 : 1;
  const order = compareDecimals(a.replace(/^-/, ''), b.replace(/^-/, ''));
  return na ? -order : order;
}

/** A value's errors as the one message its field shows: its own problem first, then what the server said about it. */
export function fieldMessage(errors: ValidationErrors | null | undefined): string {
  const e = errors ?? {};
  return (e['schema'] ?? e['check'] ?? e['server'] ?? '') as string;
}

const PENDING = Symbol('pending');

/**
 * Validates a template-driven field (ngModel) by its API rules: `[cvField]="rule"`, with the element's `required`
 * attribute (when it has one) deciding whether it may be left empty, `[cvFieldCheck]` for a check the schema cannot
 * know, and `[cvServerError]` the server's answer about it, shown until the value changes.
 */
@Directive({
  selector: '[cvField][ngModel]',
  providers: [{ provide: NG_VALIDATORS, useExisting: forwardRef(() => SchemaField), multi: true }],
})
export class SchemaField implements Validator, OnChanges {
  private readonly format = inject(DisplayFormat);
  readonly rule = input.required<FieldRule>({ alias: 'cvField' });
  /** The element's `required` attribute (also read by Material for the asterisk); the schema decides without it. */
  readonly required = input<boolean | undefined, unknown>(undefined, { transform: (v: unknown) => (v === undefined ? undefined : v !== false && v !== 'false') });
  readonly check = input<FieldCheck | null | undefined>(null, { alias: 'cvFieldCheck' });
  readonly serverError = input<string | null | undefined>(null, { alias: 'cvServerError' });
  private onValidatorChange?: () => void;
  /** The server's message and the value it was about (PENDING until the next validation reads it). */
  private server: { message: string; value: unknown } | null = null;

  ngOnChanges(): void {
    const message = this.serverError();
    if (message !== this.server?.message) this.server = message ? { message, value: PENDING } : null;
    this.onValidatorChange?.();
  }

  validate(control: AbstractControl): ValidationErrors | null {
    const rule = this.rule();
    const problem = fieldProblem(control.value, rule, this.format, this.required() ?? rule.constraints.required);
    if (problem) return { schema: problem };
    const value = control.value === null || control.value === undefined ? '' : String(control.value);
    if (value.trim() !== '' || this.required()) {
      const checked = this.check()?.(rule.constraints.decimal ? readDecimal(value, this.format) : value.trim());
      if (checked) return { check: checked };
    }
    if (this.server) {
      if (this.server.value === PENDING) this.server.value = control.value;
      if (this.server.value === control.value) return { server: this.server.message };
    }
    return null;
  }

  registerOnValidatorChange(fn: () => void): void {
    this.onValidatorChange = fn;
  }
}

/** `{{ model.errors | fieldError }}`: the one message of a field (see fieldMessage). */
@Pipe({ name: 'fieldError' })
export class FieldErrorPipe implements PipeTransform {
  transform(errors: ValidationErrors | null | undefined): string {
    return fieldMessage(errors);
  }
}

/**
 * Whether a submitted form may be sent: every field is marked touched (so each shows its message), and none has a
 * problem of its own. The server's earlier answers do not block sending again (it may answer otherwise now);
 * `ignore` names fields this way of sending does not use (the code, when a passkey confirms).
 */
export function readyToSend(form: NgForm, ignore: readonly string[] = []): boolean {
  form.control.markAllAsTouched();
  return Object.entries(form.controls).every(([name, control]) => ignore.includes(name) || control.disabled || !Object.keys(control.errors ?? {}).some((k) => k !== 'server'));
}

/** What a form with schema fields imports. */
export const SCHEMA_FIELDS = [SchemaField, FieldErrorPipe] as const;
