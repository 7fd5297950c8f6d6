import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An asset a user starred. Never returned as is: responses go through the watchlist service's mapper. */
@Entity('watchlist_items')
export class WatchlistItemEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @PrimaryColumn({ type: 'varchar', length: 16 })
  symbol: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
