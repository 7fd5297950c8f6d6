import { Dec, dec } from '../../common/money/decimal';

/** How a disposal picks the lots it closes. */
export type CostBasisMethod = 'fifo' | 'hifo' | 'lifo';
export const COST_BASIS_METHODS: readonly CostBasisMethod[] = ['fifo', 'hifo', 'lifo'];

/** What opened a lot. */
export type LotOrigin = 'buy' | 'convert' | 'deposit' | 'adjustment';
/** What closed (part of) a lot: a sale for dollars, a conversion, a withdrawal (a disposal at market value) or, without gain, a transfer to the owner's own wallet or an operator's debit. */
export type ClosureKind = 'sale' | 'convert' | 'withdrawal' | 'transferred' | 'adjusted';
export type HoldingTerm = 'short' | 'long';

/** Something that adds to the holdings of an asset: one lot. */
export interface Acquisition {
  kind: 'acquire';
  /** The opening journal: the lot's id. */
  journalId: string;
  /** The position of the event in the account's ledger order (created_at, then its first entry). */
  seq: number;
  at: Date;
  asset: string;
  quantity: Dec;
  /** USD, fees included; null: unknown (a deposit in kind or an operator's credit until the owner enters it). */
  cost: Dec | null;
  origin: LotOrigin;
}

/** Something that takes from the holdings of an asset, closing lots. */
export interface Disposal {
  kind: 'dispose';
  journalId: string;
  seq: number;
  at: Date;
  asset: string;
  /** All that left the holdings, fee included. */
  quantity: Dec;
  closure: ClosureKind;
  /** USD received, after the fee (null: no price known for a withdrawal at market value; 0 for transfers). */
  proceeds: Dec | null;
  /** USD value of the fee (already deducted from proceeds); null when unknown. */
  fee: Dec | null;
  withdrawalId?: string;
}

export type LotAction = Acquisition | Disposal;

/** A method in force from `effectiveFrom` (inclusive) until the next change. */
export interface MethodChange {
  method: CostBasisMethod;
  effectiveFrom: Date;
}

export interface Lot {
  id: string;
  asset: string;
  acquiredAt: Date;
  seq: number;
  origin: LotOrigin;
  quantity: Dec;
  cost: Dec | null;
  remaining: Dec;
  remainingCost: Dec | null;
}

/** One piece of a disposal: the part taken from one lot (a disposal over three lots is three pieces). */
export interface DisposalPiece {
  journalId: string;
  asset: string;
  closure: ClosureKind;
  method: CostBasisMethod;
  withdrawalId: string | null;
  /** The lot taken from; null only for a quantity no lot covered (the ledger and the lots disagree: reconcile reports it). */
  lotId: string | null;
  lotOrigin: LotOrigin | null;
  acquiredAt: Date | null;
  disposedAt: Date;
  quantity: Dec;
  /** Full precision USD; null where unknown. */
  proceeds: Dec | null;
  costBasis: Dec | null;
  fee: Dec | null;
  gain: Dec | null;
  term: HoldingTerm | null;
}

export interface LotBook {
  /** Every lot, in the order opened, with what is left of it. */
  lots: Lot[];
  /** Every piece of every disposal and transfer, in ledger order. */
  pieces: DisposalPiece[];
  /** Per asset: what disposals needed beyond every open lot (empty when the lots covered the ledger). */
  uncovered: Map<string, Dec>;
}

/** The method in force at `at`: the latest change effective at or before it (FIFO before any). */
export function methodAt(changes: readonly MethodChange[], at: Date): CostBasisMethod {
  let current: MethodChange | undefined;
  for (const c of changes)
    if (c.effectiveFrom.getTime() <= at.getTime() && (!current || c.effectiveFrom.getTime() >= current.effectiveFrom.getTime())) current = c;
  return current?.method ?? 'fifo';
}

const ymd = (d: Date): [number, number, number] => [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()];

/**
 * Long term when held more than one year: disposed on a calendar day (UTC) after the acquisition's first
 * anniversary (the anniversary of 29 February is 28 February). Disposed on the anniversary itself: short.
 */
export function holdingTerm(acquiredAt: Date, disposedAt: Date): HoldingTerm {
  const [y, m, d] = ymd(acquiredAt);
  const lastDay = new Date(Date.UTC(y + 1, m + 1, 0)).getUTCDate();
  const anniversary = Date.UTC(y + 1, m, Math.min(d, lastDay));
  const [dy, dm, dd] = ymd(disposedAt);
  return Date.UTC(dy, dm, dd) > anniversary ? 'long' : 'short';
}

function unitCost(l: Lot): Dec | null {
  return l.remainingCost === null || l.remaining.isZero() ? null : l.remainingCost.div(l.remaining);
}

/** The open lots of an asset in the order a method takes them. */
function ordered(open: Lot[], method: CostBasisMethod): Lot[] {
  const bySeq = (a: Lot, b: Lot) => a.seq - b.seq;
  switch (method) {
    case 'fifo':
      return [...open].sort(bySeq);
    case 'lifo':
      return [...open].sort((a, b) => b.seq - a.seq);
    case 'hifo':
      // Highest USD cost per unit first; lots of unknown cost last (oldest first), ties oldest first.
      return [...open].sort((a, b) => {
        const ua = unitCost(a);
        const ub = unitCost(b);
        if (ua === null || ub === null) return ua === ub ? bySeq(a, b) : ua === null ? 1 : -1;
        return ub.cmp(ua) || bySeq(a, b);
      });
  }
}

/** `total × part ÷ whole`, or what is left of `total` for the last part. */
function share(total: Dec | null, part: Dec, whole: Dec, taken: Dec | null, last: boolean): Dec | null {
  if (total === null) return null;
  if (last) return total.sub(taken ?? dec(0));
  return total.mul(part).div(whole);
}

/**
 * Opens and closes lots for the actions, in the order given (the ledger's): each disposal takes from the asset's
 * open lots by the method in force at its time, splitting a lot when it needs only part of it (the lot's remaining
 * cost shared by quantity, the last piece taking what is left, so nothing is lost to rounding); proceeds and fee of
 * a disposal over several lots are shared by quantity the same way. Gain = proceeds − cost basis (the fee is already
 * out of the proceeds); unknown when either is. Transfers and operators' debits close lots with no proceeds and no gain.
 * Pure and deterministic: the same actions, methods and entered costs give the same book.
 */
export function matchLots(actions: readonly LotAction[], methods: readonly MethodChange[]): LotBook {
  const lots: Lot[] = [];
  const open = new Map<string, Lot[]>();
  const pieces: DisposalPiece[] = [];
  const uncovered = new Map<string, Dec>();
  for (const a of actions) {
    if (a.kind === 'acquire') {
      const lot: Lot = {
        id: a.journalId,
        asset: a.asset,
        acquiredAt: a.at,
        seq: a.seq,
        origin: a.origin,
        quantity: a.quantity,
        cost: a.cost,
        remaining: a.quantity,
        remainingCost: a.cost,
      };
      lots.push(lot);
      const list = open.get(a.asset) ?? [];
      list.push(lot);
      open.set(a.asset, list);
      continue;
    }
    const method = methodAt(methods, a.at);
    const gainless = a.closure === 'transferred' || a.closure === 'adjusted';
    let need = a.quantity;
    let takenProceeds: Dec | null = dec(0);
    let takenFee: Dec | null = dec(0);
    const candidates = ordered(
      (open.get(a.asset) ?? []).filter((l) => l.remaining.gt(0)),
      method,
    );
    const plan: { lot: Lot | null; qty: Dec }[] = [];
    for (const lot of candidates) {
      if (need.isZero()) break;
      const qty = Dec.min(need, lot.remaining);
      plan.push({ lot, qty });
      need = need.sub(qty);
    }
    if (need.gt(0)) {
      plan.push({ lot: null, qty: need });
      uncovered.set(a.asset, (uncovered.get(a.asset) ?? dec(0)).add(need));
    }
    plan.forEach(({ lot, qty }, i) => {
      const last = i === plan.length - 1;
      const proceeds = gainless ? dec(0) : share(a.proceeds, qty, a.quantity, takenProceeds, last);
      const fee = gainless ? dec(0) : share(a.fee, qty, a.quantity, takenFee, last);
      takenProceeds = proceeds === null || takenProceeds === null ? null : takenProceeds.add(proceeds);
      takenFee = fee === null || takenFee === null ? null : takenFee.add(fee);
      let costBasis: Dec | null = null;
      if (lot) {
        const whole = qty.eq(lot.remaining);
        costBasis = lot.remainingCost === null ? null : whole ? lot.remainingCost : lot.remainingCost.mul(qty).div(lot.remaining);
        lot.remaining = lot.remaining.sub(qty);
        lot.remainingCost = lot.remainingCost === null || costBasis === null ? lot.remainingCost : lot.remainingCost.sub(costBasis);
      }
      pieces.push({
        journalId: a.journalId,
        asset: a.asset,
        closure: a.closure,
        method,
        withdrawalId: a.withdrawalId ?? null,
        lotId: lot?.id ?? null,
        lotOrigin: lot?.origin ?? null,
        acquiredAt: lot?.acquiredAt ?? null,
        disposedAt: a.at,
        quantity: qty,
        proceeds,
        costBasis,
        fee,
        gain: gainless ? null : proceeds !== null && costBasis !== null ? proceeds.sub(costBasis) : null,
        term: lot ? holdingTerm(lot.acquiredAt, a.at) : null,
      });
    });
  }
  return { lots, pieces, uncovered };
}

/** What is left per asset over every lot. */
export function remainingByAsset(book: LotBook): Map<string, Dec> {
  const out = new Map<string, Dec>();
  for (const l of book.lots) out.set(l.asset, (out.get(l.asset) ?? dec(0)).add(l.remaining));
  return out;
}
