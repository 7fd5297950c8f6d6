import { CASH_ASSET } from '../../common/money/amount-format';
import { Dec, dec } from '../../common/money/decimal';
import { moneyWeightedReturn, MoneyWeightedReturn, timeWeightedReturn, ValuedFlow } from './returns';

/** What one journal did to one asset of the account (signed decimal strings; see LedgerReader.movements). */
export interface Movement {
  journalId: string;
  at: Date;
  asset: string;
  total: string;
  /** The part to or from the outside world (deposit, withdrawal, adjustment). */
  flow: string;
  /** The fee part (negative when paid). */
  fee: string;
}

/** A dated lot of a tracked (outside) holding. */
export interface TrackedLot {
  symbol: string;
  acquiredAt: Date;
  quantity: Dec;
  /** USD per unit; null when the user did not say. */
  unitCost: Dec | null;
}

/** The USD price of an asset at a time (USD is 1), or null when none is known. */
export type PriceAt = (asset: string, at: Date) => Dec | null;

export interface PerformanceInput {
  movements: readonly Movement[];
  lots: readonly TrackedLot[];
  /** Start of the range; null: from the first funding. */
  rangeStart: Date | null;
  to: Date;
  /** Times of the chart's points after the start (ascending, at most `to`); the start and `to` are added. */
  pointTimes: (from: Date, to: Date) => Date[];
  price: PriceAt;
  /** Leaves the returns out (a pass that only records which prices are needed). */
  skipReturns?: boolean;
}

export interface AssetPerformance {
  symbol: string;
  source: 'account' | 'tracked';
  quantity: Dec;
  value: Dec | null;
  costBasis: Dec | null;
  unrealised: Dec | null;
  realised: Dec;
  fees: Dec;
}

export interface PerformancePoint {
  at: Date;
  value: Dec;
  /** Net external flows since the start, up to this point. */
  netFlows: Dec;
}

export interface Performance {
  firstFundedAt: Date | null;
  from: Date;
  to: Date;
  startValue: Dec;
  endValue: Dec;
  inflows: Dec;
  outflows: Dec;
  netFlows: Dec;
  gain: Dec;
  fees: Dec;
  twr: Dec | null;
  mwr: MoneyWeightedReturn | null;
  points: PerformancePoint[];
  assets: AssetPerformance[];
  /** Prices that had to be taken from the live quote because no candle was recorded at that time. */
  unpricedAt: number;
}

/** One event of the history: a ledger journal (its movements) or a tracked lot. */
interface Event {
  at: Date;
  moves: Movement[];
  lot?: TrackedLot;
}

interface Position {
  quantity: Dec;
  cost: Dec;
}

/**
 * The performance of an account over [from, to], from its ledger movements, its tracked lots and recorded prices.
 * Pure: no I/O.
 *
 * - External flows are the movements' `flow` parts (deposits, withdrawals, adjustments), valued in USD at the price of
 *   their time, and tracked lots (at their cost when known, else at the price of their acquisition date). Trades,
 *   fees and conversions move value inside the portfolio and are not flows; a fee is a cost that lowers the gain.
 * - The start is the range's start or the first funding, whichever is later: no points of value 0 before the account
 *   existed. startValue is the value of what was held before the start; endValue of what is held at `to`.
 *   endValue = startValue + netFlows + gain.
 * - TWR: sub-periods cut at every flow (value just before it from the holdings then, at the prices then); IRR over the
 *   same flows (returns.ts).
 * - Per asset (average cost, in USD): a purchase (USD or another asset given, fee included) adds its cost; a
 *   disposal (sale, conversion out, a fee paid in the asset) realises proceeds − average cost × quantity; an asset
 *   arriving from outside (deposit in kind, credit) is acquired at its value then; leaving to the outside
 *   (withdrawal, debit) removes its share of the cost, realising nothing. Realised and fees are those within the
 *   range; unrealised is value − cost of what is held at `to`.
 */
export function computePerformance(input: PerformanceInput): Performance | null {
  const events = toEvents(input.movements, input.lots);
  if (events.length === 0) return null;
  const firstFundedAt = events[0].at;
  const to = input.to;
  const from = input.rangeStart && input.rangeStart > firstFundedAt ? input.rangeStart : firstFundedAt;
  let unpricedAt = 0;
  const price = (asset: string, at: Date): Dec | null => {
    if (asset === CASH_ASSET) return dec(1);
    const p = input.price(asset, at);
    if (!p) unpricedAt++;
    return p;
  };

  const held = new Map<string, Dec>(); // account holdings per asset
  const tracked = new Map<string, Dec>(); // tracked quantities per symbol
  const positions = new Map<string, Position>(); // account cost basis per non-USD asset
  const realised = new Map<string, Dec>();
  const fees = new Map<string, Dec>();
  const lotCost = new Map<string, { cost: Dec; known: boolean }>();
  const value = (at: Date): Dec => {
    let v = dec(0);
    for (const holdings of [held, tracked])
      for (const [asset, q] of holdings) {
        if (q.isZero()) continue;
        const p = price(asset, at);
        if (p) v = v.add(q.mul(p));
      }
    return v;
  };
  const add = (m: Map<string, Dec>, k: string, v: Dec): void => {
    m.set(k, (m.get(k) ?? dec(0)).add(v));
  };

  const flows: ValuedFlow[] = [];
  let inflows = dec(0);
  let outflows = dec(0);
  let totalFees = dec(0);
  const points: PerformancePoint[] = [];
  const times = [from, ...input.pointTimes(from, to).filter((t) => t > from && t < to), ...(to > from ? [to] : [])];
  let pi = 0;
  let startValue: Dec | null = null;
  const netSoFar = (): Dec => inflows.sub(outflows);
  const emitPointsBefore = (at: Date | null): void => {
    // Points strictly before `at` (every remaining one when null) see the holdings as they are now.
    while (pi < times.length && (at === null || times[pi] < at)) {
      points.push({ at: times[pi], value: value(times[pi]), netFlows: netSoFar() });
      pi++;
    }
  };

  for (const e of events) {
    if (e.at > to) break;
    const inRange = e.at >= from;
    if (inRange && startValue === null) startValue = value(from);
    if (inRange) emitPointsBefore(e.at);
    // The event's external flow, valued at its time.
    let flowUsd = dec(0);
    if (e.lot) {
      const p = e.lot.unitCost ?? price(e.lot.symbol, e.at);
      flowUsd = p ? e.lot.quantity.mul(p) : dec(0);
    } else {
      for (const m of e.moves) {
        const q = dec(m.flow);
        if (q.isZero()) continue;
        const p = price(m.asset, e.at);
        if (p) flowUsd = flowUsd.add(q.mul(p));
      }
    }
    if (inRange && !flowUsd.isZero()) {
      flows.push({ at: e.at, valueBefore: value(e.at), amount: flowUsd });
      if (flowUsd.gt(0)) inflows = inflows.add(flowUsd);
      else outflows = outflows.sub(flowUsd);
    }
    // Apply the event.
    if (e.lot) {
      add(tracked, e.lot.symbol, e.lot.quantity);
      const c = lotCost.get(e.lot.symbol) ?? { cost: dec(0), known: true };
      lotCost.set(e.lot.symbol, { cost: c.cost.add(e.lot.unitCost ? e.lot.quantity.mul(e.lot.unitCost) : 0), known: c.known && e.lot.unitCost !== null });
      continue;
    }
    for (const m of e.moves) add(held, m.asset, dec(m.total));
    const journal = accountJournal(e, price, positions);
    if (inRange) {
      for (const [asset, r] of journal.realised) add(realised, asset, r);
      for (const [asset, f] of journal.fees) {
        add(fees, asset, f);
        totalFees = totalFees.add(f);
      }
    }
  }
  if (startValue === null) startValue = value(from);
  emitPointsBefore(null);
  const endValue = points[points.length - 1].value;
  const netFlows = netSoFar();
  const gain = endValue.sub(startValue).sub(netFlows);

  const assets: AssetPerformance[] = [];
  const symbols = new Set([...positions.keys(), ...realised.keys(), ...fees.keys()]);
  for (const symbol of [...symbols].sort()) {
    const pos = positions.get(symbol) ?? { quantity: dec(0), cost: dec(0) };
    const r = realised.get(symbol) ?? dec(0);
    const f = fees.get(symbol) ?? dec(0);
    if (pos.quantity.isZero() && r.isZero() && f.isZero()) continue;
    const p = symbol === CASH_ASSET ? dec(1) : price(symbol, to);
    const v = p ? pos.quantity.mul(p) : null;
    assets.push({
      symbol,
      source: 'account',
      quantity: pos.quantity,
      value: v,
      costBasis: symbol === CASH_ASSET ? null : pos.cost,
      unrealised: v && symbol !== CASH_ASSET ? v.sub(pos.cost) : null,
      realised: r,
      fees: f,
    });
  }
  for (const [symbol, q] of [...tracked].sort(([a], [b]) => a.localeCompare(b))) {
    const p = price(symbol, to);
    const v = p ? q.mul(p) : null;
    const c = lotCost.get(symbol)!;
    assets.push({
      symbol,
      source: 'tracked',
      quantity: q,
      value: v,
      costBasis: c.known ? c.cost : null,
      unrealised: v && c.known ? v.sub(c.cost) : null,
      realised: dec(0),
      fees: dec(0),
    });
  }

  return {
    firstFundedAt,
    from,
    to,
    startValue,
    endValue,
    inflows,
    outflows,
    netFlows,
    gain,
    fees: totalFees,
    twr: input.skipReturns ? null : timeWeightedReturn(startValue, flows, endValue),
    mwr: input.skipReturns
      ? null
      : moneyWeightedReturn(
          from,
          to,
          startValue,
          flows.map((f) => ({ at: f.at, amount: f.amount })),
          endValue,
        ),
    points,
    assets,
    unpricedAt,
  };
}

/** Journals (their movements grouped) and tracked lots, oldest first; a lot after the journals of its instant. */
function toEvents(movements: readonly Movement[], lots: readonly TrackedLot[]): Event[] {
  const byJournal = new Map<string, Event>();
  for (const m of movements) {
    let e = byJournal.get(m.journalId);
    if (!e) byJournal.set(m.journalId, (e = { at: m.at, moves: [] }));
    e.moves.push(m);
  }
  const events: Event[] = [...byJournal.values(), ...lots.map((lot) => ({ at: lot.acquiredAt, moves: [], lot }))];
  return events.sort((a, b) => a.at.getTime() - b.at.getTime() || Number(!!a.lot) - Number(!!b.lot));
}

/**
 * One journal's effect on the average cost of the account's assets (mutating `positions`): what it realised and the
 * fees it paid, per asset, in USD. The non-flow part of each asset is what the journal exchanged: the assets given
 * (negative) were disposed of for what was received; the assets received (positive) were bought for what was given.
 * A fee in USD is the fee of the journal's one other asset (a trade's); a fee in an asset is that asset's.
 */
function accountJournal(e: Event, price: PriceAt, positions: Map<string, Position>): { realised: Map<string, Dec>; fees: Map<string, Dec> } {
  const realised = new Map<string, Dec>();
  const fees = new Map<string, Dec>();
  const pos = (a: string): Position => {
    let p = positions.get(a);
    if (!p) positions.set(a, (p = { quantity: dec(0), cost: dec(0) }));
    return p;
  };
  const others = e.moves.filter((m) => m.asset !== CASH_ASSET).map((m) => m.asset);
  const at = (a: string): Dec | null => (a === CASH_ASSET ? dec(1) : price(a, e.at));
  for (const m of e.moves) {
    const fee = dec(m.fee).neg();
    if (fee.isZero()) continue;
    const p = at(m.asset);
    const owner = m.asset === CASH_ASSET && others.length === 1 ? others[0] : m.asset;
    if (p) fees.set(owner, (fees.get(owner) ?? dec(0)).add(fee.mul(p)));
  }
  // External flows: in at their value, out at their share of the cost.
  for (const m of e.moves) {
    const q = dec(m.flow);
    if (q.isZero() || m.asset === CASH_ASSET) continue;
    const p = pos(m.asset);
    if (q.gt(0)) {
      const v = at(m.asset);
      p.cost = p.cost.add(v ? q.mul(v) : 0);
      p.quantity = p.quantity.add(q);
    } else removeShare(p, q.neg());
  }
  // The exchange: assets given and received.
  const exchange = e.moves.map((m) => ({ asset: m.asset, q: dec(m.total).sub(m.flow) })).filter((x) => !x.q.isZero());
  const given = exchange.filter((x) => x.q.lt(0));
  const received = exchange.filter((x) => x.q.gt(0));
  const usdGiven = given.find((x) => x.asset === CASH_ASSET);
  const usdReceived = received.find((x) => x.asset === CASH_ASSET);
  const marketValue = (xs: { asset: string; q: Dec }[]): Dec => xs.reduce((s, x) => s.add(x.q.abs().mul(at(x.asset) ?? 0)), dec(0));
  // What the exchange was worth: the dollars that changed hands, else what was received at its price.
  const worth = usdGiven ? usdGiven.q.neg() : usdReceived ? usdReceived.q : marketValue(received);
  const share = (xs: { asset: string; q: Dec }[], x: { asset: string; q: Dec }): Dec => {
    if (xs.length === 1) return worth;
    const total = marketValue(xs);
    return total.isZero() ? dec(0) : worth.mul(x.q.abs().mul(at(x.asset) ?? 0)).div(total);
  };
  const givenAssets = given.filter((x) => x.asset !== CASH_ASSET);
  const receivedAssets = received.filter((x) => x.asset !== CASH_ASSET);
  for (const x of givenAssets) {
    const p = pos(x.asset);
    const q = x.q.neg();
    const cost = removeShare(p, q);
    const proceeds = receivedAssets.length || usdReceived ? share(givenAssets, x) : dec(0);
    realised.set(x.asset, (realised.get(x.asset) ?? dec(0)).add(proceeds.sub(cost)));
  }
  for (const x of receivedAssets) {
    const p = pos(x.asset);
    p.quantity = p.quantity.add(x.q);
    p.cost = p.cost.add(share(receivedAssets, x));
  }
  return { realised, fees };
}

/** Removes `q` units at the average cost; returns the cost removed. */
function removeShare(p: Position, q: Dec): Dec {
  if (p.quantity.lte(0)) {
    p.quantity = p.quantity.sub(q);
    return dec(0);
  }
  const cost = p.cost.mul(q.gt(p.quantity) ? 1 : q.div(p.quantity));
  p.cost = p.cost.sub(cost);
  p.quantity = p.quantity.sub(q);
  if (p.quantity.lte(0)) p.cost = dec(0);
  return cost;
}
