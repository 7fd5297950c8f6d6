import { Injectable } from '@nestjs/common';
import { Dec, dec } from '../../common/money/decimal';
import { userAccount } from '../../ledger/ledger.types';
import { LedgerReader } from '../../ledger/reader/ledger.reader';
import { CandlesReader } from '../../prices/candles/candles.reader';
import { type LedgerEvent, lotActions, type OwnerInput, type PriceAt } from './lot-actions';
import { type CostBasisMethod, type LotBook, matchLots, type MethodChange } from './lot-matching';
import { LotsRepository } from './lots.repository';

/** A user's lots as rebuilt now, with what they were rebuilt from. */
export interface BuiltBook {
  book: LotBook;
  events: LedgerEvent[];
  methods: MethodChange[];
  owner: OwnerInput;
}

/**
 * Rebuilds a user's lots from the ledger (LedgerReader.activity: every journal that changed the account's holdings,
 * in ledger order), their method history, the costs they entered and their own-wallet marks; USD values of events
 * without a USD leg from the recorded candles (CandlesReader.closesAt, one query for every asset and time needed).
 * Nothing is stored: the same inputs always give the same lots (ARCHITECTURE.md "Cost-basis lots").
 */
@Injectable()
export class LotBookBuilder {
  constructor(
    private readonly repo: LotsRepository,
    private readonly ledger: LedgerReader,
    private readonly candles: CandlesReader,
  ) {}

  /** `prices: false` skips the candles (quantities only, as reconcile checks them): every market value is unknown. */
  async build(userId: string, opts: { prices?: boolean } = {}): Promise<BuiltBook> {
    const [rows, methodRows, costs, marks] = await Promise.all([
      this.ledger.activity(userAccount(userId), {}),
      this.repo.methods(userId),
      this.repo.costs(userId),
      this.repo.ownWalletWithdrawals(userId),
    ]);
    const events: LedgerEvent[] = rows
      .slice()
      .reverse()
      .map((r) => ({
        journalId: r.id,
        type: r.type,
        reference: r.reference,
        at: new Date(r.created_at),
        legs: r.legs.map((l) => ({ asset: l.asset, change: dec(l.change), fee: dec(l.fee) })),
      }));
    const methods: MethodChange[] = methodRows.map((m) => ({ method: m.method as CostBasisMethod, effectiveFrom: new Date(m.effective_from) }));
    const owner: OwnerInput = { costs: new Map([...costs].map(([k, v]) => [k, dec(v)])), ownWalletWithdrawals: marks };
    const price = opts.prices === false ? () => null : await this.prices(events, owner);
    return { book: matchLots(lotActions(events, owner, price), methods), events, methods, owner };
  }

  /** A first pass records which (asset, time) prices the actions ask for; one query fetches them all. */
  private async prices(events: LedgerEvent[], owner: OwnerInput): Promise<PriceAt> {
    const wanted = new Map<string, Set<number>>();
    lotActions(events, owner, (asset, at) => {
      let times = wanted.get(asset);
      if (!times) wanted.set(asset, (times = new Set()));
      times.add(at.getTime());
      return null;
    });
    if (wanted.size === 0) return () => null;
    const times = [...new Set([...wanted.values()].flatMap((s) => [...s]))].map((t) => new Date(t));
    const closes = await this.candles.closesAt([...wanted.keys()], times);
    return (asset, at): Dec | null => {
      const close = closes.get(asset)?.get(at.getTime());
      return close === undefined ? null : dec(close);
    };
  }
}
