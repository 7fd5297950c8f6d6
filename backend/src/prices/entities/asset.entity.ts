import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity('assets')
export class AssetEntity {
  @PrimaryColumn({ name: 'symbol', type: 'varchar', length: 16 })
  symbol: string;

  @Column({ name: 'coingecko_id', type: 'varchar', length: 64 })
  coingeckoId: string;

  @Column({ name: 'coincap_id', type: 'varchar', length: 64, nullable: true })
  coincapId: string | null;

  @Column({ name: 'binance_symbol', type: 'varchar', length: 20, nullable: true })
  binanceSymbol: string | null;

  @Column({ name: 'name', type: 'varchar', length: 64 })
  name: string;

  @Column({ name: 'decimals', type: 'smallint' })
  decimals: number;

  @Column({ name: 'enabled', type: 'boolean' })
  enabled: boolean;

  @Column({ name: 'rank', type: 'integer' })
  rank: number;

  @Column({ name: 'image_url', type: 'varchar', length: 300, nullable: true })
  imageUrl: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
