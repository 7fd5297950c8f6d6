import { CASH_ASSET } from '../../common/money/amount-format';
import { Dec, dec } from '../../common/money/decimal';
import type { ClosureKind, LotAction, LotOrigin } from './lot-matching';

/** What one journal did to the account, per asset (signed; `fee` is the part in fee entries, negative when paid). */
export interface LedgerEvent {
  journalId: string;
  /** The journal's business event: trade, convert, deposit, withdrawal, adjustment, cash_out, cash_out_reversal… */
  type: string;
  reference: string;
  at: Date;
  legs: { asset: string; change: Dec; fee: Dec }[];
}

/** What the owner said: the cost of lots of unknown cost (by opening journal) and withdrawals to their own wallet. */
export interface OwnerInput {
  costs: ReadonlyMap<string, Dec>;
  ownWalletWithdrawals: ReadonlySet<string>;
}

/** USD price of an asset at a time (a recorded candle's close), or null when none is known. */
export type PriceAt = (asset: string, at: Date) => Dec | null;

const WITHDRAWAL_REFERENCE = /^withdrawal:([0-9a-f-]{36}):/;

/** The withdrawal a journal reference names (`withdrawal:<id>:complete`), if any. */
export function withdrawalIdOf(reference: string): string | null {
  return WITHDRAWAL_REFERENCE.exec(reference)?.[1] ?? null;
}

/** `value × fee ÷ (quantity − fee)`: the USD value of a fee paid in the asset given, at the price the rest fetched. */
function feeValue(value: Dec | null, quantity: Dec, fee: Dec): Dec | null {
  if (value === null) return null;
  if (fee.isZero()) return dec(0);
  const net = quantity.sub(fee);
  return net.isZero() ? null : value.mul(fee).div(net);
}

/**
 * The lot actions of an account's ledger events, oldest first (the events in ledger order). USD is cash and has no
 * lots; every other asset has.
 * - An exchange (trade, convert, cash-out and its reversal) that pays dollars for one asset is a purchase: one lot
 *   at the dollars paid, fee included. One that gives one asset for dollars is a sale: proceeds are the dollars
 *   received after the fee. One asset for another is a disposal of the one at the USD value of what was received
 *   (its close at that time, `price`) and a lot of the other at that value; the fee, paid in the asset given, is
 *   valued at the same rate (for information: it is already out of the proceeds).
 * - A deposit in kind or an operator's credit opens a lot of unknown cost until the owner enters it (`costs`).
 * - A withdrawal is a disposal at market value (the asset's close at that time; proceeds what was sent, the network
 *   fee valued at the same price) unless the owner marked it as to their own wallet: then its lots leave the
 *   holdings as `transferred`, without proceeds or gain.
 * - An operator's debit closes lots as `adjusted`, without gain.
 */
export function lotActions(events: readonly LedgerEvent[], owner: OwnerInput, price: PriceAt): LotAction[] {
  const out: LotAction[] = [];
  events.forEach((e, seq) => {
    const crypto = e.legs.filter((l) => l.asset !== CASH_ASSET && !l.change.isZero());
    const usd = e.legs.find((l) => l.asset === CASH_ASSET && !l.change.isZero());
    const ins = crypto.filter((l) => l.change.gt(0));
    const outs = crypto.filter((l) => l.change.lt(0));
    const base = { journalId: e.journalId, seq, at: e.at };
    const acquire = (asset: string, quantity: Dec, cost: Dec | null, origin: LotOrigin): void => {
      out.push({ kind: 'acquire', ...base, asset, quantity, cost, origin });
    };
    const dispose = (asset: string, quantity: Dec, closure: ClosureKind, proceeds: Dec | null, fee: Dec | null, withdrawalId?: string): void => {
      out.push({ kind: 'dispose', ...base, asset, quantity, closure, proceeds, fee, ...(withdrawalId ? { withdrawalId } : {}) });
    };
    const unknownCostLots = (origin: LotOrigin): void => {
      for (const l of ins) acquire(l.asset, l.change, owner.costs.get(e.journalId) ?? null, origin);
      for (const l of outs) dispose(l.asset, l.change.neg(), 'adjusted', null, null);
    };

    if (e.type === 'withdrawal') {
      const withdrawalId = withdrawalIdOf(e.reference) ?? undefined;
      for (const l of outs) {
        const quantity = l.change.neg();
        if (withdrawalId && owner.ownWalletWithdrawals.has(withdrawalId)) {
          dispose(l.asset, quantity, 'transferred', null, null, withdrawalId);
          continue;
        }
        const p = price(l.asset, e.at);
        const fee = l.fee.neg();
        dispose(l.asset, quantity, 'withdrawal', p ? quantity.sub(fee).mul(p) : null, p ? fee.mul(p) : null, withdrawalId);
      }
      for (const l of ins) acquire(l.asset, l.change, owner.costs.get(e.journalId) ?? null, 'deposit');
      return;
    }
    if (e.type === 'deposit') return unknownCostLots('deposit');
    if (e.type === 'adjustment') return unknownCostLots('adjustment');

    const origin: LotOrigin = e.type === 'convert' ? 'convert' : 'buy';
    const closure: ClosureKind = e.type === 'convert' ? 'convert' : 'sale';
    if (ins.length === 1 && outs.length === 0 && usd?.change.lt(0)) {
      acquire(ins[0].asset, ins[0].change, usd.change.neg(), origin);
    } else if (outs.length === 1 && ins.length === 0 && usd?.change.gt(0)) {
      const o = outs[0];
      const quantity = o.change.neg();
      const proceeds = usd.change;
      const fee = usd.fee.lt(0) ? usd.fee.neg() : feeValue(proceeds, quantity, o.fee.neg());
      dispose(o.asset, quantity, closure, proceeds, fee);
    } else if (ins.length === 1 && outs.length === 1 && !usd) {
      const [i, o] = [ins[0], outs[0]];
      const quantity = o.change.neg();
      const feeQty = o.fee.neg();
      const inPrice = price(i.asset, e.at);
      const outPrice = inPrice ? null : price(o.asset, e.at);
      const value = inPrice ? i.change.mul(inPrice) : outPrice ? quantity.sub(feeQty).mul(outPrice) : null;
      dispose(o.asset, quantity, 'convert', value, feeValue(value, quantity, feeQty));
      acquire(i.asset, i.change, value, 'convert');
    } else {
      // A shape no journal of ours has today: lots of unknown cost in, gainless closures out.
      unknownCostLots('adjustment');
    }
  });
  return out;
}
