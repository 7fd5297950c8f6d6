/**
 * Words for validation messages, which people read beside the field they typed in (ARCHITECTURE §5): what to
 * enter, in plain words, with an example; never a rule's name, a regex or a type.
 */

/** `['buy', 'sell']` → "buy or sell"; `['a', 'b', 'c']` → "a, b or c". */
export function listInWords(values: readonly string[], conjunction = 'or'): string {
  if (values.length <= 1) return values.join('');
  return `${values.slice(0, -1).join(', ')} ${conjunction} ${values[values.length - 1]}`;
}

/** "Choose buy or sell". */
export function chooseOne(values: readonly string[]): string {
  return `Choose ${listInWords(values)}`;
}

/** A decimal string with its whole part grouped by thousands: "100000000000000" → "100,000,000,000,000". */
export function groupDigits(decimal: string): string {
  const [whole, fraction] = decimal.split('.');
  const sign = whole.startsWith('-') ? '-' : '';
  const grouped = whole.replace(/^-/, '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${grouped}${fraction !== undefined ? `.${fraction}` : ''}`;
}

/** "Enter a whole number from 1 to 100" and the like: one message for the type and both bounds of an integer. */
export function wholeNumberBetween(what: string, min: number, max: number): string {
  return `Choose ${what} from ${groupDigits(String(min))} to ${groupDigits(String(max))}`;
}

/** The one message of a date filter: what to type, with an example. */
export function dateTimeExample(what: string, example = '2026-11-01T00:00:00Z'): string {
  return `Enter ${what} as a date and time like ${example}`;
}
