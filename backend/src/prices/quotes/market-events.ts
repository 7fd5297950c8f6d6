import { Injectable, Logger } from '@nestjs/common';
import type { Quote } from '../../common/market/market-quotes';
import type { WireQuote } from './wire-quote';

/**
 * Every kind of market event, by name, with what it carries. This is the
 * whole market-data pipeline as seen from a subscriber:
 *
 *   ingestion (leader) ──ingested──▶ candles
 *        │ apply
 *        ▼
 *   quotes (every instance, also from PUB_SUB) ──updated──▶ /ws/prices
 *        └──(leader, own ticks)──ticks──▶ triggers (resting orders, alerts)
 */
export interface MarketEventMap {
  /** Leader only: a batch the ingestion accepted, as published (with the 24h stats); the candles record it. */
  ingested: readonly WireQuote[];
  /** Leader only: the fresh quotes of a tick it ingested, once applied; the trigger engine evaluates them. */
  ticks: readonly Quote[];
  /** Every instance: the symbols a tick (own or heard on PUB_SUB) changed; the `/ws/prices` gateway pushes them. */
  updated: readonly string[];
  /** This instance started (true) or stopped (false) ingesting: the trigger engine reloads its books on taking over. */
  leadership: boolean;
}

export type MarketEventKind = keyof MarketEventMap;
export type MarketListener<K extends MarketEventKind> = (event: MarketEventMap[K]) => void;

/**
 * The one typed stream of market events of this instance (replaces the
 * separate onTick / onUpdate / onIngest callback sets). Emitting is
 * synchronous: a listener runs in the emitter's turn, with the emitter's
 * array (no copy, no async hop), and must not throw into the pipeline — a
 * listener that throws is logged and the others still run.
 */
@Injectable()
export class MarketEvents {
  private readonly logger = new Logger('MarketEvents');
  private readonly listeners: { [K in MarketEventKind]: Set<MarketListener<K>> } = {
    ingested: new Set(),
    ticks: new Set(),
    updated: new Set(),
    leadership: new Set(),
  };

  /** Subscribes to one kind of event; returns the unsubscribe function. */
  on<K extends MarketEventKind>(kind: K, listener: MarketListener<K>): () => void {
    const set = this.listeners[kind] as Set<MarketListener<K>>;
    set.add(listener);
    return () => set.delete(listener);
  }

  emit<K extends MarketEventKind>(kind: K, event: MarketEventMap[K]): void {
    for (const listener of this.listeners[kind] as Set<MarketListener<K>>) {
      try {
        listener(event);
      } catch (e) {
        this.logger.error(`${kind} listener failed: ${(e as Error).message}`);
      }
    }
  }
}
