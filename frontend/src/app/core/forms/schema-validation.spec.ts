import {
  CreateAlertDtoConstraints,
  CreateDepositDtoConstraints,
  CreateOrderDtoConstraints,
  CreateWithdrawalAddressDtoConstraints,
  LedgerAdjustmentDtoConstraints,
  SignupDtoConstraints,
} from '../../api/constraints';
import { Formatter } from '../ui/format';
import { fieldProblem, fieldRule, readDecimal } from './schema-validation';

const en = new Formatter({ locale: 'en-US' });
const de = new Formatter({ locale: 'de-DE' });

const quantity = fieldRule(CreateOrderDtoConstraints.quantity, { label: 'a quantity' });
const usd = fieldRule(CreateOrderDtoConstraints.quoteAmount, { label: 'an amount in USD' });
const target = fieldRule(CreateAlertDtoConstraints.targetPrice, { label: 'a target price' });
const deposit = fieldRule(CreateDepositDtoConstraints.amount, { label: 'an amount' });
const adjustment = fieldRule(LedgerAdjustmentDtoConstraints.amount, { label: 'an amount' });

describe('fieldProblem: one message a field, in the words and order the server uses', () => {
  it('tells a number of the wrong kind what to type, before its size or decimals', () => {
    expect(fieldProblem('1e5', quantity, en)).toBe('Enter a quantity like 250 or 0.5');
    expect(fieldProblem('12,5', target, en)).toBe('Enter a target price like 250 or 0.5');
    expect(fieldProblem('007', target, en)).toBe('Enter a target price like 250 or 0.5');
    expect(fieldProblem('abc', deposit, en)).toBe('Enter an amount like 250 or 12.50');
    expect(fieldProblem('5 -', adjustment, en)).toBe('Enter an amount like 100 or -100');
  });

  it('tells a 40-digit number it is too large, not that it has too many decimals', () => {
    expect(fieldProblem('1'.repeat(40), target, en)).toBe('That number is too large (at most 1,000,000,000,000)');
    expect(fieldProblem('1'.repeat(40) + '.123456789', target, en)).toBe('That number is too large (at most 1,000,000,000,000)');
    expect(fieldProblem('-' + '9'.repeat(20), adjustment, en)).toBe('That number is too large (at most 100,000,000,000,000 either way)');
    // Exactly the largest is fine; a hair above is not (compared as decimal strings, not floats).
    expect(fieldProblem('1000000000000', target, en)).toBeNull();
    expect(fieldProblem('1000000000000.00000001', target, en)).toBe('That number is too large (at most 1,000,000,000,000)');
  });

  it('tells a number below the minimum the minimum, then too many decimals', () => {
    expect(fieldProblem('0', quantity, en)).toBe('Enter a quantity more than 0');
    expect(fieldProblem('-1', quantity, en)).toBe('Enter a quantity more than 0');
    expect(fieldProblem('9.99', deposit, en)).toBe('Enter an amount of 10 or more');
    expect(fieldProblem('10', deposit, en)).toBeNull();
    expect(fieldProblem('100.123456789', usd, en)).toBe('Use at most 8 decimals');
    expect(fieldProblem('0.123456789', quantity, en)).toBeNull();
    expect(fieldProblem('10.505', deposit, en)).toBe('Use at most 2 decimals');
  });

  it('asks for a missing number with the example the API gives, and leaves an optional one alone', () => {
    // A target price is optional in the API (an alert on a 24 h move has none), required by the price alert's form.
    expect(fieldProblem('', target, en)).toBeNull();
    expect(fieldProblem('', target, en, true)).toBe('Enter a target price, like 70000');
    // The USD amount of a deposit is optional in the API (a deposit in kind gives a quantity), required by the USD form.
    expect(fieldProblem('  ', deposit, en)).toBeNull();
    expect(fieldProblem('  ', deposit, en, true)).toBe('Enter an amount, like 250.00');
    expect(fieldProblem('', quantity, en)).toBeNull();
    expect(fieldProblem('', quantity, en, true)).toBe('Enter a quantity, like 0.5');
  });

  it('writes the numbers of a message as a German reader reads them, and reads a German decimal comma', () => {
    expect(fieldProblem('1'.repeat(40), quantity, de)).toBe('That number is too large (at most 100.000.000.000.000)');
    expect(fieldProblem('1e5', quantity, de)).toBe('Enter a quantity like 250 oder 0,5');
    expect(fieldProblem('', deposit, de, true)).toBe('Enter an amount, like 250,00');
    expect(fieldProblem('0,5', quantity, de)).toBeNull();
    expect(readDecimal('0,5', de)).toBe('0.5');
    expect(readDecimal(' 12.5 ', de)).toBe('12.5');
    // Thousands as the locale writes them are thousands: "1.000" is a thousand to a German reader, never one.
    expect(readDecimal('1.000', de)).toBe('1000');
    expect(readDecimal('1.000,5', de)).toBe('1000.5');
    expect(readDecimal('12.345.678', de)).toBe('12345678');
    expect(readDecimal('1,000.50', en)).toBe('1000.50');
    expect(readDecimal('1,000', en)).toBe('1000');
    // Separators out of place stay as typed, and are refused.
    expect(fieldProblem(readDecimal('1.00.0', de), quantity, de)).toBe('Enter a quantity like 250 oder 0,5');
    expect(fieldProblem(readDecimal('10,00,000', en), quantity, en)).toBe('Enter a quantity like 250 or 0.5');
    expect(readDecimal('0,5', en)).toBe('0,5');
  });

  it('checks text by its length first, then its format; an email by its shape', () => {
    const name = fieldRule(SignupDtoConstraints.name, { label: 'a name' });
    expect(fieldProblem('', name, en)).toBe('Enter a name of 2 to 100 characters');
    expect(fieldProblem(' A ', name, en)).toBe('Enter a name of 2 to 100 characters');
    expect(fieldProblem('x'.repeat(101), name, en)).toBe('Enter a name of 2 to 100 characters');
    expect(fieldProblem('Ann', name, en)).toBeNull();

    const label = fieldRule(CreateWithdrawalAddressDtoConstraints.label, { label: 'a label', format: 'A label cannot contain < or >' });
    expect(fieldProblem('a<b', label, en)).toBe('A label cannot contain < or >');
    expect(fieldProblem('<'.repeat(65), label, en)).toBe('Enter a label of 1 to 64 characters');

    const email = fieldRule(SignupDtoConstraints.email, { label: 'an email address' });
    expect(fieldProblem('', email, en)).toBe('Enter a valid email address');
    expect(fieldProblem('ann@', email, en)).toBe('Enter a valid email address');
    expect(fieldProblem(`${'a'.repeat(250)}@example.com`, email, en)).toBe('That is too long (at most 254 characters)');
    expect(fieldProblem('ann@example.com', email, en)).toBeNull();

    const asset = fieldRule(LedgerAdjustmentDtoConstraints.asset, { label: 'a ticker' });
    expect(fieldProblem('BT C', asset, en)).toBe('Enter a ticker like BTC');
  });

  it('names the choices of a list in words', () => {
    const side = fieldRule(CreateOrderDtoConstraints.side, { label: 'a side' });
    expect(fieldProblem('hold', side, en)).toBe('Choose buy or sell');
    expect(fieldProblem('hold', fieldRule(CreateOrderDtoConstraints.side, { label: 'a side', choices: { buy: 'kaufen', sell: 'verkaufen' } }), de)).toBe(
      'Choose kaufen oder verkaufen',
    );
    expect(fieldProblem('sell', side, en)).toBeNull();
  });
});
