import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { MARKET_QUOTES, type MarketQuotes, type Quote } from '../common/market/market-quotes';
import { dec } from '../common/money/decimal';
import { AppConfig } from '../config/config.service';
import { MarketEvents } from '../prices/quotes/market-events';
import { PUB_SUB, type PubSub } from '../redis/redis.interfaces';
import { reaches, TriggerBook, type Trigger } from './trigger-book';

/** What the book should hold for a trigger's id after a change or an action: the trigger (armed) or null (gone). */
export type Armed<T extends Trigger> = T | null;

/** Which figure of a quote a registrant's triggers are levels of (TriggerRegistrant.measure). */
export type QuoteMeasure = 'price' | 'change24h';

/** The figure of `quote` that `measure` names, as a decimal string. */
export function measureOf(quote: Quote, measure: QuoteMeasure = 'price'): string {
  return measure === 'change24h' ? quote.change24h : quote.price;
}

/**
 * A kind of trigger registered into the engine (resting orders, price
 * alerts). The engine owns the book, the queue, the resyncs and the crossing;
 * the registrant owns its rows and its action.
 */
export interface TriggerRegistrant<T extends Trigger> {
  /** Names the kind in logs and in its resync job (`triggers:<kind>:resync`). */
  readonly kind: string;
  /** The PUB_SUB channel on which any instance announces a change of this kind. */
  readonly channel: string;
  /** Every instance reloads its book from the database this often (repairs a lost change message). */
  readonly resyncMs: number;
  /**
   * How ticks that piled up while the engine was busy are evaluated, per
   * symbol: at the `latest` price (a resting order fills at the price of the
   * moment), or at the `extremes` (at-or-above triggers against the high,
   * at-or-below ones against the low: a spike that came and went still fires).
   */
  readonly pileUp: 'latest' | 'extremes';
  /** Whether a trigger armed by a change message is checked at once against the fresh price (leader), rather than at the next tick. */
  readonly fireOnArm: boolean;
  /**
   * What a trigger's level is compared with: the quote's `price` (resting orders, price alerts; the default) or its
   * `change24h` in percent (alerts on a 24 h move). Piled-up ticks fold on it, and crossings read it.
   */
  readonly measure?: QuoteMeasure;
  /** Every armed trigger, from the database. */
  loadArmed(): Promise<T[]>;
  /** What a change message says about one trigger now; undefined for a message that is not one. */
  changed(message: string): Promise<{ id: string; armed: Armed<T> } | undefined>;
  /**
   * The action (orders: execute; alerts: notify), called with the trigger
   * already out of the book and the quote that reached it. Returns what the
   * book holds for that id afterwards: null once done (or gone), the trigger
   * to try again at the next crossing. Exactly-once is the registrant's (SQL guards).
   */
  fire(trigger: T, quote: Quote): Promise<Armed<T>>;
  /**
   * Optional: the action for several triggers one quote reached, together (resting orders: one transaction, their
   * fills posted by one statement; alerts: one transaction, one guarded UPDATE). Returns what the book holds for each
   * afterwards, in the same order. The engine hands it at most TRIGGER_FIRE_BATCH triggers at a time (fireBatchSize);
   * exactly-once stays the registrant's.
   */
  fireMany?(triggers: T[], quote: Quote): Promise<Armed<T>[]>;
}

/** What a registrant does with its own book directly (a change it made itself, before telling the others). */
export interface TriggerHandle<T extends Trigger> {
  arm(trigger: T): void;
  disarm(id: string): void;
  readonly size: number;
}

/** Per symbol, the quotes that arrived since the last evaluation: the latest, the highest and the lowest. */
interface PriceRange {
  latest: Quote;
  high: Quote;
  low: Quote;
}

interface Lane<T extends Trigger> {
  registrant: TriggerRegistrant<T>;
  book: TriggerBook<T>;
  /** Change messages, reloads and evaluations run one at a time, in arrival order. */
  queue: Promise<void>;
  pending: Map<string, PriceRange>;
  /** Per read of the database in flight (loadBook): the ids whose entry the book changed since it began. */
  touched: Set<Set<string>>;
  /** Reads are numbered as they begin; a read's swap is skipped when a later one's has been made (loadBook). */
  reads: number;
  swapped: number;
  /** A periodic read is out: the next period skips its own (one read at a time per lane, however slow the database). */
  resyncing: boolean;
  offChanges?: () => Promise<void>;
}

/**
 * One trigger engine for every kind of trigger (ARCHITECTURE §5).
 *
 * Every instance keeps each registrant's book: loaded from PostgreSQL at
 * start, kept current by the registrant's change messages over PUB_SUB, and
 * reloaded every `resyncMs` (a lost message delays a trigger, never loses
 * it; the read runs beside the lane, so ticks are not held up by it). Only
 * the leader hears `ticks` (MarketEvents) and acts; when an instance becomes
 * leader (`leadership`) it reloads first. Ticks that arrive
 * while a lane is busy are folded per symbol and evaluated together, so a
 * backlog never grows. Exactly-once is never the engine's: each registrant's
 * action is guarded in SQL, so two instances or a replayed tick fire once.
 */
@Injectable()
export class TriggerEngine implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('TriggerEngine');
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- lanes of different trigger types
  private readonly lanes: Lane<any>[] = [];
  private started = false;
  private stopped = false;
  private offTicks?: () => void;
  private offLeadership?: () => void;

  constructor(
    @Inject(MARKET_QUOTES) private readonly quotes: MarketQuotes,
    private readonly events: MarketEvents,
    @Inject(PUB_SUB) private readonly pubsub: PubSub,
    private readonly config: AppConfig,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  /** Registers a kind of trigger (in the registrant's onModuleInit); its book loads at bootstrap. */
  register<T extends Trigger>(registrant: TriggerRegistrant<T>): TriggerHandle<T> {
    const lane: Lane<T> = {
      registrant,
      book: new TriggerBook<T>(),
      queue: Promise.resolve(),
      pending: new Map(),
      touched: new Set(),
      reads: 0,
      swapped: 0,
      resyncing: false,
    };
    this.lanes.push(lane);
    if (this.started) lane.queue = this.start(lane).catch((e: unknown) => this.logger.error(`${registrant.kind}: start failed: ${(e as Error).message}`));
    return {
      arm: (t) => add(lane, t),
      disarm: (id) => remove(lane, id),
      get size() {
        return lane.book.size;
      },
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    this.started = true;
    await Promise.all(
      this.lanes.map((lane) => {
        lane.queue = this.start(lane);
        return lane.queue;
      }),
    );
    this.offTicks = this.events.on('ticks', (quotes) => {
      if (this.stopped) return;
      for (const lane of this.lanes) this.collect(lane, quotes);
    });
    this.offLeadership = this.events.on('leadership', (leader) => {
      if (leader) for (const lane of this.lanes) this.enqueue(lane, async () => (await this.loadBook(lane))());
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.offTicks?.();
    this.offLeadership?.();
    for (const lane of this.lanes) {
      const job = resyncJob(lane);
      if (this.scheduler.getTimeouts().includes(job)) this.scheduler.deleteTimeout(job);
      if (this.scheduler.getIntervals().includes(job)) this.scheduler.deleteInterval(job);
      await lane.offChanges?.().catch(() => undefined);
    }
    await Promise.all(this.lanes.map((lane) => lane.queue));
  }

  private async start<T extends Trigger>(lane: Lane<T>): Promise<void> {
    lane.offChanges = await this.pubsub.subscribe(lane.registrant.channel, (message) => this.enqueue(lane, () => this.onChange(lane, message)));
    (await this.loadBook(lane))();
    // The lanes' reloads are spread over the period (lane i of n starts i/n of it later), so two books are not
    // compared with the database on the same turn of the clock.
    const job = resyncJob(lane);
    const every = lane.registrant.resyncMs;
    const begin = (): void => {
      const timer = setInterval(() => void this.resync(lane), every);
      timer.unref();
      this.scheduler.addInterval(job, timer);
    };
    const offset = Math.round((every * this.lanes.indexOf(lane)) / this.lanes.length);
    if (offset === 0) return begin();
    const delay = setTimeout(() => {
      this.scheduler.deleteTimeout(job);
      if (!this.stopped) begin();
    }, offset);
    delay.unref();
    this.scheduler.addTimeout(job, delay);
  }

  private enqueue<T extends Trigger>(lane: Lane<T>, work: () => Promise<void>): void {
    lane.queue = lane.queue
      .then(() => (this.stopped ? undefined : work()))
      .catch((e: unknown) => this.logger.error(`${lane.registrant.kind}: trigger engine step failed: ${(e as Error).message}`));
  }

  /** Folds a tick into the lane's pending ranges; the first one since the last evaluation queues one. */
  private collect<T extends Trigger>(lane: Lane<T>, quotes: readonly Quote[]): void {
    const idle = lane.pending.size === 0;
    foldQuotes(lane.pending, quotes, lane.registrant.measure);
    if (idle && lane.pending.size > 0) this.enqueue(lane, () => this.evaluatePending(lane));
  }

  private async evaluatePending<T extends Trigger>(lane: Lane<T>): Promise<void> {
    const batch = lane.pending;
    lane.pending = new Map();
    const measure = lane.registrant.measure;
    for (const [symbol, { latest, high, low }] of batch) {
      if (lane.registrant.pileUp === 'latest') {
        await this.fire(lane, lane.book.crossed(symbol, dec(measureOf(latest, measure))), latest);
      } else {
        await this.fire(lane, lane.book.crossedAbove(symbol, dec(measureOf(high, measure))), high);
        await this.fire(lane, lane.book.crossedBelow(symbol, dec(measureOf(low, measure))), low);
      }
    }
  }

  /**
   * Fires what one quote reached, TRIGGER_FIRE_CONCURRENCY at a time: each firing is its own transaction, so a tick
   * that crosses a thousand orders is not a thousand round trips one after another. A registrant that fires several
   * together (`fireMany`) gets them in batches (fireBatchSize): a few crossed at once (up to TRIGGER_FIRE_MIN_BATCH)
   * are one transaction, more are split into up to TRIGGER_FIRE_CONCURRENCY batches of at most TRIGGER_FIRE_BATCH,
   * fired side by side (a thousand become a handful of multi-row statements). Safe to overlap: each action is guarded in SQL and the ledger
   * locks a transaction's user rows in (account, asset) order (LedgerService), so two firings of one user's triggers
   * queue on a row instead of deadlocking. The lane waits for all of them.
   */
  private async fire<T extends Trigger>(lane: Lane<T>, reached: T[], quote: Quote): Promise<void> {
    const { triggerFireConcurrency: concurrency, triggerFireBatch, triggerFireMinBatch } = this.config.values;
    const together = lane.registrant.fireMany?.bind(lane.registrant);
    const size = together ? fireBatchSize(reached.length, concurrency, triggerFireMinBatch, triggerFireBatch) : 1;
    const batches: T[][] = [];
    for (let i = 0; i < reached.length; i += size) batches.push(reached.slice(i, i + size));
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < batches.length && !this.stopped) {
        const batch = batches[next++];
        // Out of the book before the database round trip: nothing else can pick them meanwhile.
        for (const trigger of batch) remove(lane, trigger.id);
        let after: Armed<T>[];
        try {
          after = together && batch.length > 1 ? await together(batch, quote) : [await lane.registrant.fire(batch[0], quote)];
        } catch (e) {
          this.logger.error(`${lane.registrant.kind} ${batch.map((t) => t.id).join(', ')}: not fired, kept for the next crossing: ${(e as Error).message}`);
          after = batch;
        }
        // Back in the book, or (fired, or gone) marked out of it for a read in flight that may predate the commit.
        after.forEach((t, i) => (t ? add(lane, t) : remove(lane, batch[i].id)));
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, batches.length) }, worker));
  }

  private async onChange<T extends Trigger>(lane: Lane<T>, message: string): Promise<void> {
    const change = await lane.registrant.changed(message);
    if (!change) return;
    if (!change.armed) {
      remove(lane, change.id);
      return;
    }
    add(lane, change.armed);
    const quote = lane.registrant.fireOnArm ? this.freshQuote(change.armed.symbol) : undefined;
    if (quote && reaches(change.armed, dec(measureOf(quote, lane.registrant.measure)))) await this.fire(lane, [change.armed], quote);
  }

  /**
   * Reads the armed triggers from the database and returns the swap, to run in the lane. Beside the lane, the read is
   * compared with the book in slices (a lookup per trigger, no sort; the event loop serves ticks between slices), so
   * a reload that finds the book as it was costs a tick nothing; the swap applies the differences. When much differs
   * (the first load, a new leader's), or another read's swap came between, the swap rebuilds the book from the read
   * in one sort (TriggerBook.of). The read
   * may predate a change the book has taken meanwhile (a trigger armed by a commit after the read began, one fired or
   * disarmed): an entry the book changed while the read or the comparison was in flight, or before the swap, is taken
   * from the book, not from the read. A read that began before one whose swap has been made (a leadership reload
   * overtaking a slow periodic one) changes nothing.
   */
  private async loadBook<T extends Trigger>(lane: Lane<T>): Promise<() => void> {
    const touched = new Set<string>();
    const read = ++lane.reads;
    lane.touched.add(touched);
    try {
      const armed = await lane.registrant.loadArmed();
      const base = lane.swapped;
      const { upsert, remove } = await lane.book.differences(armed, touched, yieldToEventLoop, DIFF_SLICE);
      return () => {
        lane.touched.delete(touched);
        if (read < lane.swapped) return;
        // Another read's swap since the comparison began: the differences are against a book that is gone.
        const compared = lane.swapped === base;
        lane.swapped = read;
        if (compared && upsert.length + remove.length <= rebuildAbove(lane.book.size)) {
          for (const id of remove) if (!touched.has(id)) lane.book.remove(id);
          for (const t of upsert) if (!touched.has(t.id)) lane.book.add(t);
          return;
        }
        const fresh = TriggerBook.of(armed);
        for (const id of touched) {
          fresh.remove(id);
          const now = lane.book.get(id);
          if (now) fresh.add(now);
        }
        lane.book = fresh;
      };
    } catch (e) {
      lane.touched.delete(touched);
      throw e;
    }
  }

  /**
   * The periodic reload: the read runs beside the lane (10,000 resting orders are tens of milliseconds a tick would
   * otherwise wait for), then the swap takes its turn; on the leader every fresh price is then checked against the book.
   */
  private async resync<T extends Trigger>(lane: Lane<T>): Promise<void> {
    if (this.stopped || lane.resyncing) return;
    lane.resyncing = true;
    let swap: () => void;
    try {
      swap = await this.loadBook(lane);
    } catch (e) {
      this.logger.error(`${lane.registrant.kind}: resync failed, the book is kept until the next: ${(e as Error).message}`);
      return;
    } finally {
      lane.resyncing = false;
    }
    this.enqueue(lane, async () => {
      swap();
      if (!this.quotes.isLeader()) return;
      for (const q of this.quotes.all()) {
        if (this.freshQuote(q.symbol)) await this.fire(lane, lane.book.crossed(q.symbol, dec(measureOf(q, lane.registrant.measure))), q);
      }
    });
  }

  /** The latest quote of a symbol when this instance leads and the quote is fresh enough to act on. */
  private freshQuote(symbol: string): Quote | undefined {
    if (!this.quotes.isLeader()) return undefined;
    const quote = this.quotes.latest(symbol);
    if (!quote || Date.now() - new Date(quote.timestamp).getTime() > this.config.values.priceMaxAgeMs) return undefined;
    return quote;
  }
}

/** Every change to a lane's book goes through these two, so a reload in flight knows what the book learnt meanwhile. */
function add<T extends Trigger>(lane: Lane<T>, trigger: T): void {
  for (const ids of lane.touched) ids.add(trigger.id);
  lane.book.add(trigger);
}

function remove<T extends Trigger>(lane: Lane<T>, id: string): void {
  for (const ids of lane.touched) ids.add(id);
  lane.book.remove(id);
}

/** How many triggers a reload compares with the book between two turns of the event loop (about a millisecond). */
const DIFF_SLICE = 1024;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Above how many differences a reload rebuilds the book rather than applying them one by one: an insertion is a
 * binary search and a splice, a rebuild a sort of everything (about a quarter of the book's size in insertions).
 */
function rebuildAbove(size: number): number {
  return Math.max(64, size >> 2);
}

function resyncJob(lane: Lane<Trigger>): string {
  return `triggers:${lane.registrant.kind}:resync`;
}

/**
 * How many crossed triggers one `fireMany` call gets: all of them in one transaction while they are few (at most
 * `minBatch`; side by side, each its own transaction, they would cost a connection and a commit apiece and queue on
 * the database's cores), else an even split into `concurrency` batches, none larger than `maxBatch`.
 */
export function fireBatchSize(count: number, concurrency: number, minBatch: number, maxBatch: number): number {
  const floor = Math.min(minBatch, maxBatch);
  return Math.max(1, Math.min(maxBatch, Math.max(floor, Math.ceil(count / concurrency))));
}

/**
 * Folds ticks into per-symbol ranges (latest, highest, lowest by `measure`: the price, or the 24 h change), so ticks
 * that pile up while the engine is busy are evaluated once per symbol.
 */
export function foldQuotes(ranges: Map<string, PriceRange>, quotes: readonly Quote[], measure: QuoteMeasure = 'price'): void {
  for (const q of quotes) {
    const seen = ranges.get(q.symbol);
    if (!seen) {
      ranges.set(q.symbol, { latest: q, high: q, low: q });
      continue;
    }
    seen.latest = q;
    const value = dec(measureOf(q, measure));
    if (value.gt(measureOf(seen.high, measure))) seen.high = q;
    if (value.lt(measureOf(seen.low, measure))) seen.low = q;
  }
}
