import { ApiProperty } from '@nestjs/swagger';

export class WatchlistItemDto {
  @ApiProperty({ example: 'BTC' })
  symbol: string;

  @ApiProperty({ example: 'Bitcoin', description: 'The asset name (the ticker when the catalogue has none)' })
  name: string;

  @ApiProperty({ type: String, nullable: true, example: '70012.34000000', description: 'Latest USD price, decimal string; null while none is known' })
  price: string | null;

  @ApiProperty({ type: String, nullable: true, example: '1.8464', description: '24 h change in percent, decimal string; null while none is known' })
  change24h: string | null;

  @ApiProperty({ description: 'Whether the asset is listed (one no longer listed stays on the watchlist until removed)' })
  listed: boolean;

  @ApiProperty({ format: 'date-time', description: 'When it was starred' })
  addedAt: string;
}

export class WatchlistDto {
  @ApiProperty({ type: [WatchlistItemDto], description: 'Starred assets in the order they were starred' })
  items: WatchlistItemDto[];

  @ApiProperty({ example: 50, description: 'How many assets a watchlist holds at most' })
  max: number;
}
