import { Controller, Delete, Get, Param, Put } from '@nestjs/common';
import { ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { Authenticated, type AuthUser, CurrentUser } from '../common/auth/auth-user';
import { ApiErrors } from '../common/dto/error-response.dto';
import { WatchlistDto } from './dto/watchlist.dto';
import { TickerParamPipe } from './watchlist-rules';
import { WatchlistService } from './watchlist.service';

const SYMBOL = { name: 'symbol', example: 'BTC', description: 'Ticker: 1 to 16 letters and digits, case-insensitive' };

@ApiTags('watchlist')
@Controller('api/watchlist')
@Authenticated()
export class WatchlistController {
  constructor(private readonly watchlist: WatchlistService) {}

  @Get()
  @ApiOkResponse({ type: WatchlistDto })
  getWatchlist(@CurrentUser() user: AuthUser): Promise<WatchlistDto> {
    return this.watchlist.get(user.id);
  }

  /** Idempotent: starring a starred asset answers the same. */
  @Put(':symbol')
  @ApiParam(SYMBOL)
  @ApiOkResponse({ type: WatchlistDto, description: 'The watchlist with the asset on it' })
  @ApiErrors(400, 404, 422)
  addToWatchlist(@CurrentUser() user: AuthUser, @Param('symbol', TickerParamPipe) symbol: string): Promise<WatchlistDto> {
    return this.watchlist.add(user.id, symbol);
  }

  /** Idempotent: removing an asset that is not on the watchlist answers the watchlist as it is. */
  @Delete(':symbol')
  @ApiParam(SYMBOL)
  @ApiOkResponse({ type: WatchlistDto, description: 'The watchlist without the asset' })
  @ApiErrors(400)
  removeFromWatchlist(@CurrentUser() user: AuthUser, @Param('symbol', TickerParamPipe) symbol: string): Promise<WatchlistDto> {
    return this.watchlist.remove(user.id, symbol);
  }
}
