// node --test scripts/constraints.test.mjs (part of `npm test` in frontend/): the rules the client validates with are
// the rules the server states in openapi.json, never more, never fewer.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { decimalBoundsFromDescription, decimalFromPattern, renderConstraints, requestConstraints } from './constraints.mjs';

const openapi = JSON.parse(readFileSync(new URL('../../openapi.json', import.meta.url), 'utf8'));

test('a decimal pattern gives the digits a person may type on each side of the point, and whether a minus is allowed', () => {
  assert.deepEqual(decimalFromPattern(String.raw`^(0|[1-9]\d{0,14})(\.\d{1,8})?$`), { signed: false, wholeDigits: 15, maxDecimals: 8 });
  assert.deepEqual(decimalFromPattern(String.raw`^-?(0|[1-9]\d{0,14})(\.\d{1,18})?$`), { signed: true, wholeDigits: 15, maxDecimals: 18 });
  // Written differently, read the same: the pattern is probed, not parsed.
  assert.deepEqual(decimalFromPattern(String.raw`^(?:0|[1-9][0-9]{0,5})(?:[.][0-9]{1,2})?$`), { signed: false, wholeDigits: 6, maxDecimals: 2 });
  assert.deepEqual(decimalFromPattern(String.raw`^(0|[1-9]\d{0,2})$`), { signed: false, wholeDigits: 3, maxDecimals: 0 });
});

test('a ticker, a 6-digit code or a token is not a number, whatever digits it takes', () => {
  for (const pattern of [String.raw`^[A-Za-z0-9]{1,16}$`, String.raw`^\d{6}$`, '^[A-Za-z0-9_-]{16,128}$', String.raw`^(0x)?[0-9A-Za-z]{16,126}$`]) {
    assert.equal(decimalFromPattern(pattern), null, pattern);
  }
});

test("the bounds are read from the server's rules sentence, not from prose before it", () => {
  const quoteAmount = openapi.components.schemas.CreateOrderDto.properties.quoteAmount.description;
  assert.match(quoteAmount, /spends at most 100\.00/);
  assert.deepEqual(decimalBoundsFromDescription(quoteAmount), { scale: 8, min: '0', exclusiveMin: true, max: '100000000000000' });
  assert.deepEqual(
    decimalBoundsFromDescription('USD to add to the wallet. A number written as text, like "250.00", 10 or more, at most 100,000, at most 2 decimals; no spaces, thousands separators or exponent.'),
    { scale: 2, min: '10', exclusiveMin: false, max: '100000' },
  );
  assert.deepEqual(
    decimalBoundsFromDescription(
      'Signed. A number written as text, like "100.00", at most 100,000,000,000,000 either way (a minus sign allowed), at most 18 decimals; no spaces, thousands separators or exponent.',
    ),
    { scale: 18, max: '100000000000000', min: '-100000000000000', exclusiveMin: false },
  );
  assert.equal(decimalBoundsFromDescription('Ticker of a listed asset'), null);
});

test('words the reader does not know, or a description that contradicts the pattern, stop the generation', () => {
  assert.throws(
    () => decimalBoundsFromDescription('A number written as text, like "1", a multiple of 5, at most 8 decimals; no spaces, thousands separators or exponent.'),
    /unknown words ", a multiple of 5"/,
  );
  const doc = (description) => ({
    paths: { '/x': { post: { requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/X' } } } } } } },
    components: { schemas: { X: { type: 'object', properties: { amount: { type: 'string', pattern: String.raw`^(0|[1-9]\d{0,5})(\.\d{1,2})?$`, description } } } } },
  });
  assert.throws(() => requestConstraints(doc('A number written as text, like "1", at most 8 decimals; no spaces, thousands separators or exponent.')), /takes 2 decimals/);
  assert.throws(() => requestConstraints(doc('A number written as text, like "1", at most 1,000, at most 2 decimals; no spaces, thousands separators or exponent.')), /6 whole digits/);
});

test('every request body of openapi.json: enums resolved, required fields marked, amounts as decimals', () => {
  const all = requestConstraints(openapi);
  const order = all.CreateOrderDto.fields;
  assert.deepEqual(all.CreateOrderDto.operations, ['POST /api/orders']);
  assert.deepEqual(order.side.constraints, { type: 'string', required: true, enum: ['buy', 'sell'] });
  assert.equal(order.quantity.constraints.required, false);
  assert.equal(order.quoteAmount.constraints.decimal.maxDecimals, 8);
  assert.equal(order.quantity.constraints.decimal.maxDecimals, 18);
  assert.equal(all.CreateAlertDto.fields.targetPrice.constraints.decimal.max, '1000000000000');
  assert.deepEqual(all.SignupDto.fields.name.constraints, { type: 'string', required: true, minLength: 2, maxLength: 100, example: 'Ann Example' });
  assert.equal(all.CreateWithdrawalDto.fields.passkey.constraints.schema, 'PasskeyAssertionDto');
  // Text fields are never mistaken for numbers.
  for (const { fields } of Object.values(all)) {
    for (const [name, { constraints }] of Object.entries(fields)) {
      if (constraints.decimal) assert.match(name, /amount|price|quantity|cost|receive|pct/i, name);
    }
  }
});

test('the generated module is the same on every run (CI diffs it)', () => {
  const once = renderConstraints(openapi);
  assert.equal(renderConstraints(structuredClone(openapi)), once);
  assert.equal(readFileSync(new URL('../src/app/api/constraints.ts', import.meta.url), 'utf8'), once);
});
