import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersReaderModule } from '../auth/users/users-reader.module';
import { QuotesModule } from '../prices/quotes/quotes.module';
import { WatchlistItemEntity } from './entities/watchlist-item.entity';
import { WatchlistController } from './watchlist.controller';
import { WatchlistRepository } from './watchlist.repository';
import { WatchlistService } from './watchlist.service';

/** The assets a user starred (floor 4): `watchlist_items`, valued at the latest quotes. */
@Module({
  imports: [TypeOrmModule.forFeature([WatchlistItemEntity]), QuotesModule, UsersReaderModule],
  controllers: [WatchlistController],
  providers: [WatchlistRepository, WatchlistService],
})
export class WatchlistModule {}
