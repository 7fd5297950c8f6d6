// What the API accepts in each request-body field, read from the OpenAPI document, for the client's own validation
// (src/app/core/forms/schema-validation.ts). `npm run sdk` (scripts/sdk.mjs) writes the result to
// src/app/api/constraints.ts next to the SDK, so CI's drift check on src/app/api covers it too.
//
// Most constraints are copied as the schema states them: type, required, format, pattern, minLength, maxLength,
// minimum, maximum, exclusiveMinimum/exclusiveMaximum, enum (resolved through $ref/allOf) and the example.
//
// Numbers the API takes as text (money and quantities are decimal strings) have no numeric keywords in OpenAPI 3.0.
// Their rules are derived in two steps, each checked against the other:
//
// 1. From the pattern, by what it accepts (never by reading the regex's source): a string field whose pattern accepts
//    "0", "1" and "9" and refuses "a", "1e5", "+1", ".5" and " 1" is a number written as text. Then
//      signed      = it accepts "-1";
//      wholeDigits = the most digits it accepts before the point ("1", "10", "100", … until one is refused);
//      maxDecimals = the most digits it accepts after the point ("0.1", "0.01", … until one is refused; 0 when none).
// 2. From the description, the bounds the pattern cannot carry: the server (backend IsDecimalString) ends the
//    description with one sentence of fixed words, e.g.
//      A number written as text, like "0.5", more than 0, at most 100,000,000,000,000, at most 8 decimals; no
//      spaces, thousands separators or exponent.
//    "more than X" is an exclusive minimum, "X or more" an inclusive one, "at most X" the maximum, "at most X either
//    way" a maximum of the magnitude (a signed amount), "at most N decimals" / "no decimals" the scale. A clause this
//    reader does not know, a scale that is not the pattern's, or a maximum with more whole digits than the pattern
//    takes fails the generation: the client never guesses a rule the server does not make.
//
// The output is deterministic: schemas and fields sorted by name, one line per constraint.

/** Strings a pattern must accept (digits) and refuse (letters, exponent, sign, bare point, spaces) to be a number. */
const NUMBER_ACCEPTS = ['0', '1', '9'];
const NUMBER_REFUSES = ['a', 'Z', '1e5', '+1', '.5', ' 1', '1 ', ''];
/** How far the probes go: no API number has more digits than this on either side of the point. */
const MAX_PROBE_DIGITS = 64;

const NUMBER_IN_WORDS = String.raw`-?\d{1,3}(?:,\d{3})*(?:\.\d+)?`;
const RULES_START = 'A number written as text, like ';
const RULES_END = '; no spaces, thousands separators or exponent.';

/** Every request body's schema name → the operations that send it ("POST /api/orders"). */
export function requestBodySchemas(doc) {
  const out = new Map();
  for (const [path, ops] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(ops ?? {})) {
      const ref = op?.requestBody?.content?.['application/json']?.schema?.$ref;
      if (!ref) continue;
      const name = refName(ref);
      out.set(name, [...(out.get(name) ?? []), `${method.toUpperCase()} ${path}`]);
    }
  }
  return out;
}

function refName(ref) {
  const m = /^#\/components\/schemas\/(.+)$/.exec(ref);
  if (!m) throw new Error(`constraints: unsupported $ref ${ref}`);
  return m[1];
}

/** A property's schema with its $ref / single allOf resolved (enums are named schemas: OrderSide …), its own keywords kept. */
function resolve(doc, schema) {
  let s = schema;
  let named;
  if (s.allOf?.length === 1 && s.allOf[0].$ref) {
    const { allOf, ...own } = s;
    named = refName(allOf[0].$ref);
    s = { ...doc.components.schemas[named], ...own };
  } else if (s.$ref) {
    const { $ref, ...own } = s;
    named = refName($ref);
    s = { ...doc.components.schemas[named], ...own };
  }
  return { schema: s, named };
}

/** The number rules a pattern implies (see the header), or null when it does not describe a number. */
export function decimalFromPattern(pattern) {
  const re = new RegExp(pattern);
  if (!NUMBER_ACCEPTS.every((v) => re.test(v)) || NUMBER_REFUSES.some((v) => re.test(v))) return null;
  let wholeDigits = 1;
  while (wholeDigits < MAX_PROBE_DIGITS && re.test('1' + '0'.repeat(wholeDigits))) wholeDigits++;
  let maxDecimals = 0;
  while (maxDecimals < MAX_PROBE_DIGITS && re.test('0.' + '0'.repeat(maxDecimals) + '1')) maxDecimals++;
  if (wholeDigits === MAX_PROBE_DIGITS || maxDecimals === MAX_PROBE_DIGITS) throw new Error(`constraints: pattern ${pattern} bounds no digits`);
  return { signed: re.test('-1'), wholeDigits, maxDecimals };
}

const ungroup = (n) => n.replace(/,/g, '');

/**
 * The bounds the rules sentence of a number's description states (see the header): { min, exclusiveMin, max, scale },
 * each only when stated; null when the description has no rules sentence. Throws on a clause it does not know.
 */
export function decimalBoundsFromDescription(description) {
  const start = description?.lastIndexOf(RULES_START) ?? -1;
  if (start < 0) return null;
  const end = description.indexOf(RULES_END, start);
  if (end < 0) throw new Error(`constraints: unfinished rules sentence in ${JSON.stringify(description)}`);
  // The clauses after the example: ", more than 0, at most 100,000, at most 8 decimals".
  let rest = description.slice(start + RULES_START.length, end).replace(/^"[^"]*"/, '');
  const out = {};
  const take = (re, apply) => {
    const m = new RegExp(`, ${re.source}(?=,|$)`).exec(rest);
    if (!m) return;
    apply(m);
    rest = rest.slice(0, m.index) + rest.slice(m.index + m[0].length);
  };
  take(new RegExp(`at most (\\d+) decimals`), (m) => (out.scale = Number(m[1])));
  take(/no decimals/, () => (out.scale = 0));
  take(new RegExp(`more than (${NUMBER_IN_WORDS})`), (m) => Object.assign(out, { min: ungroup(m[1]), exclusiveMin: true }));
  take(new RegExp(`(${NUMBER_IN_WORDS}) or more`), (m) => Object.assign(out, { min: ungroup(m[1]), exclusiveMin: false }));
  take(new RegExp(`at most (${NUMBER_IN_WORDS}) either way \\(a minus sign allowed\\)`), (m) => {
    out.max = ungroup(m[1]);
    out.min = `-${out.max}`;
    out.exclusiveMin = false;
  });
  take(new RegExp(`at most (${NUMBER_IN_WORDS})`), (m) => (out.max = ungroup(m[1])));
  if (rest !== '') throw new Error(`constraints: unknown words ${JSON.stringify(rest)} in the rules of ${JSON.stringify(description)}`);
  return out;
}

/** A decimal field's rules from its pattern and description, the two checked against each other. */
function decimalRules(field, pattern, description) {
  const shape = decimalFromPattern(pattern);
  if (!shape) return null;
  const bounds = decimalBoundsFromDescription(description) ?? {};
  const where = `${field} (pattern ${pattern})`;
  if (bounds.scale !== undefined && bounds.scale !== shape.maxDecimals) {
    throw new Error(`constraints: ${where} takes ${shape.maxDecimals} decimals but its description says ${bounds.scale}`);
  }
  if (bounds.max !== undefined && bounds.max.split('.')[0].length !== shape.wholeDigits) {
    throw new Error(`constraints: ${where} takes ${shape.wholeDigits} whole digits but its description's maximum is ${bounds.max}`);
  }
  if (bounds.min?.startsWith('-') && !shape.signed) throw new Error(`constraints: ${where} refuses a minus sign but its description allows one`);
  const out = { ...shape };
  if (bounds.min !== undefined) Object.assign(out, { min: bounds.min, exclusiveMin: bounds.exclusiveMin });
  if (bounds.max !== undefined) out.max = bounds.max;
  return out;
}

const COPIED = ['format', 'pattern', 'minLength', 'maxLength', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'];

/** One field's constraints. */
function fieldConstraints(doc, schemaName, field, property, required) {
  const { schema, named } = resolve(doc, property);
  const out = { type: schema.type ?? (schema.properties ? 'object' : 'string'), required };
  if (named && out.type === 'object') out.schema = named;
  for (const key of COPIED) if (schema[key] !== undefined) out[key] = schema[key];
  if (Array.isArray(schema.enum)) out.enum = [...schema.enum];
  if (schema.example !== undefined && typeof schema.example !== 'object') out.example = String(schema.example);
  if (out.type === 'string' && typeof schema.pattern === 'string') {
    const decimal = decimalRules(`${schemaName}.${field}`, schema.pattern, schema.description);
    if (decimal) out.decimal = decimal;
  }
  return { constraints: out, description: schema.description };
}

/** { schemaName: { operations, fields: { field: { constraints, description } } } }, sorted. */
export function requestConstraints(doc) {
  const out = {};
  const bodies = requestBodySchemas(doc);
  for (const name of [...bodies.keys()].sort()) {
    const schema = doc.components.schemas[name];
    const required = new Set(schema.required ?? []);
    const fields = {};
    for (const field of Object.keys(schema.properties ?? {}).sort()) {
      fields[field] = fieldConstraints(doc, name, field, schema.properties[field], required.has(field));
    }
    out[name] = { operations: bodies.get(name).sort(), fields };
  }
  return out;
}

const HEADER = `/* eslint-disable */
/* Code generated by scripts/constraints.mjs (npm run sdk) from ../openapi.json. DO NOT EDIT. */

/** The rules of a number written as text (a decimal string), derived from the field's pattern and description. */
export interface DecimalConstraints {
  /** A leading minus sign is allowed. */
  readonly signed: boolean;
  /** The most digits before the point. */
  readonly wholeDigits: number;
  /** The most digits after the point (0: a whole number). */
  readonly maxDecimals: number;
  /** The smallest value (a decimal string), more than it when \`exclusiveMin\`. */
  readonly min?: string;
  readonly exclusiveMin?: boolean;
  /** The largest value (a decimal string); for a signed number also the largest below zero (\`min\` is its negative). */
  readonly max?: string;
}

/** What the API accepts in one request-body field, as openapi.json states it. */
export interface FieldConstraints {
  readonly type: 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array';
  /** The request must carry it. */
  readonly required: boolean;
  /** An object field's schema name. */
  readonly schema?: string;
  readonly format?: string;
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: boolean;
  readonly exclusiveMaximum?: boolean;
  readonly enum?: readonly string[];
  readonly example?: string;
  readonly decimal?: DecimalConstraints;
}

export type SchemaConstraints = { readonly [field: string]: FieldConstraints };
`;

const comment = (text, indent) => `${indent}/** ${text.replace(/\*\//g, '*\\/').replace(/\s+/g, ' ').trim()} */\n`;

function literal(value) {
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (value && typeof value === 'object') {
    return `{ ${Object.entries(value)
      .map(([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${literal(v)}`)
      .join(', ')} }`;
  }
  return typeof value === 'string' ? `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : JSON.stringify(value);
}

/** The TypeScript module: one `<Schema>Constraints` constant per request body. */
export function renderConstraints(doc) {
  const parts = [HEADER];
  for (const [name, { operations, fields }] of Object.entries(requestConstraints(doc))) {
    parts.push(`\n/** The body of ${operations.join(', ')}. */\nexport const ${name}Constraints = {\n`);
    for (const [field, { constraints, description }] of Object.entries(fields)) {
      if (description) parts.push(comment(description, '  '));
      parts.push(`  ${field}: ${literal(constraints)},\n`);
    }
    parts.push('} as const satisfies SchemaConstraints;\n');
  }
  return parts.join('');
}
