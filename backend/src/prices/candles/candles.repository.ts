import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Tx } from '../../database/unit-of-work';

/** A candle to write: `width` seconds from `bucket`, prices and volume as decimal strings. */
export interface NewCandle {
  symbol: string;
  bucket: Date;
  width: number;
  open: string;
  high: string;
  low: string;
  close: string;
  volume: string;
  source: string;
}

/** One aggregated candle as read (numerics as the driver gives them: strings). */
export interface CandleAggregateRow {
  time: Date;
  open: string;
  high: string;
  low: string;
  close: string;
  volume: string;
}

/** The close of the latest candle at or before a point, per symbol (null: none recorded). */
export interface CloseAtRow {
  symbol: string;
  t: Date;
  close: string | null;
}

/** The extremes of one symbol's recorded series: over a recent window, and its highest high of all time. */
export interface SeriesExtremesRow {
  high: string | null;
  low: string | null;
  allTimeHigh: string | null;
  allTimeHighAt: Date | null;
}

/** The highest high and lowest low of one symbol's candles since a point (null: none recorded). */
export interface RecentExtremesRow {
  symbol: string;
  high: string | null;
  low: string | null;
}

const COLUMNS = 9;

/**
 * All SQL of `price_candles` (owned by prices). Rows of other widths
 * (backfill, roll-up) never overlap finer ones, so an interval aggregates
 * every row no wider than itself.
 */
@Injectable()
export class CandlesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Inserts or merges candles: high and low widen, close/volume/source take
   * the new values, and the open of a bucket stays that of its first writer
   * (a new leader mid-minute does not reset it).
   */
  async upsert(rows: readonly NewCandle[]): Promise<void> {
    if (!rows.length) return;
    const { tuples, values } = bind(rows);
    await this.dataSource.query(
      `INSERT INTO price_candles (symbol, bucket, width_seconds, open, high, low, close, volume, source)
       VALUES ${tuples}
       ON CONFLICT (symbol, bucket, width_seconds) DO UPDATE SET
         high = GREATEST(price_candles.high, EXCLUDED.high),
         low = LEAST(price_candles.low, EXCLUDED.low),
         close = EXCLUDED.close, volume = EXCLUDED.volume, source = EXCLUDED.source`,
      values,
    );
  }

  /** Inserts candles whose (symbol, bucket, width) is not stored yet (history backfill); `chunk` rows a statement. */
  async insertIfAbsent(rows: readonly NewCandle[], chunk = 500): Promise<void> {
    for (let i = 0; i < rows.length; i += chunk) {
      const { tuples, values } = bind(rows.slice(i, i + chunk));
      await this.dataSource.query(
        `INSERT INTO price_candles (symbol, bucket, width_seconds, open, high, low, close, volume, source)
         VALUES ${tuples} ON CONFLICT DO NOTHING`,
        values,
      );
    }
  }

  /** Candles `widthSeconds` wide over [from, to), oldest first, aggregated from every stored row no wider. */
  aggregate(symbol: string, widthSeconds: number, from: Date, to: Date): Promise<CandleAggregateRow[]> {
    return this.dataSource.query<CandleAggregateRow[]>(
      `SELECT to_timestamp(floor(extract(epoch FROM bucket) / $2::int) * $2::int) AS time,
              (array_agg(open ORDER BY bucket))[1] AS open, max(high) AS high, min(low) AS low,
              (array_agg(close ORDER BY bucket DESC))[1] AS close, sum(volume) AS volume
         FROM price_candles
        WHERE symbol = $1 AND width_seconds <= $2::int AND bucket >= $3 AND bucket < $4
        GROUP BY 1 ORDER BY 1`,
      [symbol, widthSeconds, from, to],
    );
  }

  /**
   * The highest high and lowest low of `symbol`'s candles that start at or after `since`, and the highest high of
   * all its candles with the start of the one that made it (the earliest, on a tie).
   */
  async extremes(symbol: string, since: Date): Promise<SeriesExtremesRow> {
    const [row] = await this.dataSource.query<SeriesExtremesRow[]>(
      `SELECT w.high::text AS high, w.low::text AS low, a.high::text AS "allTimeHigh", a.bucket AS "allTimeHighAt"
         FROM (SELECT max(high) AS high, min(low) AS low FROM price_candles WHERE symbol = $1 AND bucket >= $2) w
         LEFT JOIN LATERAL (SELECT high, bucket FROM price_candles WHERE symbol = $1 ORDER BY high DESC, bucket LIMIT 1) a ON true`,
      [symbol, since],
    );
    return {
      high: row?.high ?? null,
      low: row?.low ?? null,
      allTimeHigh: row?.allTimeHigh ?? null,
      allTimeHighAt: row?.allTimeHighAt ? new Date(row.allTimeHighAt) : null,
    };
  }

  /** Per symbol: the highest high and lowest low of its candles that start at or after `since` (one index range each). */
  recentExtremes(symbols: readonly string[], since: Date): Promise<RecentExtremesRow[]> {
    if (symbols.length === 0) return Promise.resolve([]);
    return this.dataSource.query<RecentExtremesRow[]>(
      `SELECT s.symbol, w.high::text AS high, w.low::text AS low
         FROM unnest($1::text[]) AS s(symbol)
         CROSS JOIN LATERAL (SELECT max(high) AS high, min(low) AS low FROM price_candles c WHERE c.symbol = s.symbol AND c.bucket >= $2) w`,
      [[...new Set(symbols)], since],
    );
  }

  /** The start of the oldest stored candle of `symbol`, or null. */
  async oldest(symbol: string): Promise<Date | null> {
    const [row] = await this.dataSource.query<{ oldest: Date | null }[]>(`SELECT min(bucket) AS oldest FROM price_candles WHERE symbol = $1`, [symbol]);
    return row?.oldest ? new Date(row.oldest) : null;
  }

  /**
   * Rolls every candle narrower than an hour that starts before `cutoff` into
   * hourly candles (merged with any hourly one already there), in `tx`.
   */
  async rollUpToHours(tx: Tx, cutoff: Date): Promise<void> {
    await tx.query(
      `WITH moved AS (
         DELETE FROM price_candles WHERE width_seconds < 3600 AND bucket < $1 RETURNING *
       )
       INSERT INTO price_candles (symbol, bucket, width_seconds, open, high, low, close, volume, source)
       SELECT symbol, to_timestamp(floor(extract(epoch FROM bucket) / 3600) * 3600), 3600,
              (array_agg(open ORDER BY bucket))[1], max(high), min(low),
              (array_agg(close ORDER BY bucket DESC))[1], sum(volume), (array_agg(source ORDER BY bucket DESC))[1]
         FROM moved GROUP BY 1, 2
       ON CONFLICT (symbol, bucket, width_seconds) DO UPDATE SET
         high = GREATEST(price_candles.high, EXCLUDED.high), low = LEAST(price_candles.low, EXCLUDED.low)`,
      [cutoff],
    );
  }

  /** Drops every candle that starts before `before`, in `tx`. */
  async deleteBefore(tx: Tx, before: Date): Promise<void> {
    await tx.query(`DELETE FROM price_candles WHERE bucket < $1`, [before]);
  }

  /** For each (symbol, point): the close of the latest candle at or before the point, or null. */
  async closesAt(symbols: readonly string[], points: readonly Date[]): Promise<CloseAtRow[]> {
    if (symbols.length === 0 || points.length === 0) return [];
    return this.dataSource.query<CloseAtRow[]>(
      `SELECT s.symbol, p.t, c.close
       FROM unnest($1::text[]) AS s(symbol)
       CROSS JOIN unnest($2::timestamptz[]) AS p(t)
       LEFT JOIN LATERAL (
         SELECT pc.close::text AS close FROM price_candles pc
         WHERE pc.symbol = s.symbol AND pc.bucket <= p.t ORDER BY pc.bucket DESC LIMIT 1
       ) c ON true`,
      [[...new Set(symbols)], points.map((p) => p.toISOString())],
    );
  }
}

function bind(rows: readonly NewCandle[]): { tuples: string; values: unknown[] } {
  const values: unknown[] = [];
  const tuples = rows.map((r, i) => {
    values.push(r.symbol, r.bucket, r.width, r.open, r.high, r.low, r.close, r.volume, r.source);
    const b = i * COLUMNS;
    return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7}, $${b + 8}, $${b + 9})`;
  });
  return { tuples: tuples.join(', '), values };
}
