import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An OHLC candle; live ingestion writes 1-minute ones (width 60). */
@Entity('price_candles')
export class PriceCandleEntity {
  @PrimaryColumn({ name: 'symbol', type: 'varchar', length: 16 })
  symbol: string;

  @PrimaryColumn({ name: 'bucket', type: 'timestamptz' })
  bucket: Date;

  @PrimaryColumn({ name: 'width_seconds', type: 'integer' })
  widthSeconds: number;

  @Column({ name: 'open', type: 'numeric', precision: 30, scale: 12 })
  open: string;

  @Column({ name: 'high', type: 'numeric', precision: 30, scale: 12 })
  high: string;

  @Column({ name: 'low', type: 'numeric', precision: 30, scale: 12 })
  low: string;

  @Column({ name: 'close', type: 'numeric', precision: 30, scale: 12 })
  close: string;

  @Column({ name: 'volume', type: 'numeric', precision: 38, scale: 8 })
  volume: string;

  @Column({ name: 'source', type: 'varchar', length: 16 })
  source: string;
}
