import { dec } from '../common/money/decimal';
import type { ActivityEventRow, StatementRow } from '../ledger/reader/ledger.reader';
import { eventFigures, statementCsv, toActivityDto } from './activity';

const event = (legs: ActivityEventRow['legs'], patch: Partial<ActivityEventRow> = {}): ActivityEventRow => ({
  id: '5f0c6a2e-4f5b-4a39-9a53-1b8f6c1f2d11',
  type: 'trade',
  reference: 'order:x:fill',
  description: 'Bought 0.002 BTC at $50,000.00 (fee $0.10)',
  created_at: new Date('2026-11-20T12:00:00.000Z'),
  seq: '42',
  legs,
  ...patch,
});

describe('activity: an event from its legs', () => {
  it('takes a trade’s fee out of its USD leg and prices it from its legs exactly, worth its USD leg', () => {
    // $100.10 spent: $100.00 for 0.002 BTC and a $0.10 fee; USD 900.00 left.
    const f = eventFigures(
      event([
        { asset: 'USD', change: '-100.100000000000000000', fee: '-0.100000000000000000', balanceAfter: '899.900000000000000000' },
        { asset: 'BTC', change: '0.002000000000000000', fee: '0', balanceAfter: '0.002000000000000000' },
      ]),
    );
    const dto = toActivityDto(event([]), f, undefined, []);
    expect(f.closeAsset).toBeNull();
    expect({ legs: dto.legs, fee: dto.fee, price: dto.price, usdValue: dto.usdValue }).toEqual({
      legs: [
        { asset: 'BTC', amount: '0.00200000', balanceAfter: '0.00200000' },
        { asset: 'USD', amount: '-100.00', balanceAfter: '899.90' },
      ],
      fee: { asset: 'USD', amount: '0.10' },
      price: '50000.00',
      usdValue: '100.00',
    });
  });

  it('rounds an execution price that is not a whole number of cents half-even, and keeps 8 decimals below a dollar', () => {
    // 0.004 BTC for 417.00000001 (a notional rounded up at 8 decimals): 104250.0000025 → 104250.00.
    const btc = eventFigures(
      event([
        { asset: 'USD', change: '-417.00000001', fee: '0', balanceAfter: '0' },
        { asset: 'BTC', change: '0.004', fee: '0', balanceAfter: '0.004' },
      ]),
    );
    expect(btc.priceWith(undefined).price).toBe('104250.00');
    const doge = eventFigures(
      event([
        { asset: 'USD', change: '10', fee: '0', balanceAfter: '10' },
        { asset: 'DOGE', change: '-81', fee: '0', balanceAfter: '0' },
      ]),
    );
    expect(doge.priceWith(undefined)).toEqual({ price: '0.12345679', usdValue: '10.00' });
  });

  it('prices an event of one crypto asset at the recorded close, and says null when none is recorded', () => {
    // A withdrawal of 0.01 BTC with a 0.0001 BTC network fee.
    const f = eventFigures(event([{ asset: 'BTC', change: '-0.0101', fee: '-0.0001', balanceAfter: '0.0399' }], { type: 'withdrawal' }));
    expect(f.closeAsset).toBe('BTC');
    const dto = toActivityDto(event([], { type: 'withdrawal' }), f, dec('104250.12345678'), []);
    expect({ legs: dto.legs, fee: dto.fee, price: dto.price, usdValue: dto.usdValue }).toEqual({
      legs: [{ asset: 'BTC', amount: '-0.01000000', balanceAfter: '0.03990000' }],
      fee: { asset: 'BTC', amount: '0.00010000' },
      price: '104250.12',
      usdValue: '1042.50',
    });
    expect(f.priceWith(undefined)).toEqual({ price: null, usdValue: null });
  });

  it('values a conversion between two crypto assets at the close of what was given, with no USD price', () => {
    const f = eventFigures(
      event(
        [
          { asset: 'BTC', change: '-0.001001', fee: '-0.000001', balanceAfter: '0.000999' },
          { asset: 'ETH', change: '0.0269', fee: '0', balanceAfter: '0.0269' },
        ],
        { type: 'convert' },
      ),
    );
    expect(f.closeAsset).toBe('BTC');
    expect(f.fee?.amount.toFixed()).toBe('0.000001');
    expect(f.priceWith(dec('104250'))).toEqual({ price: null, usdValue: '104.25' });
  });

  it('leaves a fee given back in its leg: a cash-out’s reversal returns every dollar, no fee paid', () => {
    const f = eventFigures(
      event(
        [
          { asset: 'USD', change: '100.00', fee: '0.10', balanceAfter: '1000.00' },
          { asset: 'USDT', change: '-99.9', fee: '0', balanceAfter: '0' },
        ],
        { type: 'cash_out_reversal' },
      ),
    );
    expect(f.fee).toBeNull();
    expect(f.legs.map((l) => [l.asset, l.amount.toFixed()])).toEqual([
      ['USD', '100'],
      ['USDT', '-99.9'],
    ]);
    expect(f.priceWith(undefined)).toEqual({ price: '1.00', usdValue: '100.00' });
  });

  it('is worth its dollars when it moved only dollars, with no price', () => {
    expect(eventFigures(event([{ asset: 'USD', change: '1000', fee: '0', balanceAfter: '1000' }])).priceWith(undefined)).toEqual({
      price: null,
      usdValue: '1000.00',
    });
  });
});

describe('activity: the CSV statement', () => {
  const row = (patch: Partial<StatementRow>): StatementRow => ({
    id: '10',
    journal_id: 'j-1',
    event_type: 'trade',
    type: 'trade',
    asset: 'USD',
    amount: '-100.000000000000000000',
    description: 'Bought 0.002 BTC at $50,000.00 (fee $0.10)',
    reference: 'order:x:fill',
    created_at: new Date('2026-11-20T12:00:00.000Z'),
    balance_after: '900.000000000000000000',
    ...patch,
  });

  it('keeps the list’s columns first and appends the event’s: figures on the principal rows, none on the fee row', () => {
    const csv = statementCsv(
      [
        row({ id: '12', type: 'fee', amount: '-0.10', balance_after: '899.90' }),
        row({ id: '11', asset: 'BTC', amount: '0.002', balance_after: '0.002' }),
        row({}),
        row({
          id: '1',
          journal_id: 'j-0',
          type: 'adjustment',
          amount: '1000',
          balance_after: '1000',
          description: '=cmd, "funding"',
          reference: 'adjustment:a',
          created_at: new Date('2026-11-20T11:00:00.000Z'),
        }),
      ],
      new Map([
        ['j-1', { price: '50000.00', fee: { asset: 'USD', amount: '0.10' }, usdValue: '100.00' }],
        ['j-0', { price: null, fee: null, usdValue: '1000.00' }],
      ]),
    );
    expect(csv.split('\r\n')).toEqual([
      'id,type,asset,amount,status,description,reference,createdAt,eventId,price,fee,feeAsset,usdValue,balanceAfter',
      '12,fee,USD,-0.10,completed,"Bought 0.002 BTC at $50,000.00 (fee $0.10)",order:x:fill,2026-11-20T12:00:00.000Z,j-1,,,,,899.90',
      '11,trade,BTC,0.00200000,completed,"Bought 0.002 BTC at $50,000.00 (fee $0.10)",order:x:fill,2026-11-20T12:00:00.000Z,j-1,50000.00,0.10,USD,100.00,0.00200000',
      '10,trade,USD,-100.00,completed,"Bought 0.002 BTC at $50,000.00 (fee $0.10)",order:x:fill,2026-11-20T12:00:00.000Z,j-1,50000.00,0.10,USD,100.00,900.00',
      `1,adjustment,USD,1000.00,completed,"'=cmd, ""funding""",adjustment:a,2026-11-20T11:00:00.000Z,j-0,,,,1000.00,1000.00`,
      '',
    ]);
  });
});
