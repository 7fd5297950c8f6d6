import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, type AuthUser, CurrentUser } from '../common/auth/auth-user';
import { ApiErrors } from '../common/dto/error-response.dto';
import { HoldingResponseDto, PortfolioHistoryDto, PortfolioHistoryQueryDto, PortfolioResponseDto, TrackHoldingDto } from './dto/portfolio.dto';
import { PortfolioService } from './portfolio.service';

@ApiTags('portfolio')
@Controller('api/portfolio')
@Authenticated()
export class PortfolioController {
  constructor(private readonly portfolio: PortfolioService) {}

  @Get()
  @ApiOkResponse({ type: PortfolioResponseDto })
  getPortfolio(@CurrentUser() user: AuthUser): Promise<PortfolioResponseDto> {
    return this.portfolio.getPortfolio(user);
  }

  @Get('history')
  @ApiOkResponse({ type: PortfolioHistoryDto })
  @ApiErrors(400)
  portfolioHistory(@CurrentUser() user: AuthUser, @Query() query: PortfolioHistoryQueryDto): Promise<PortfolioHistoryDto> {
    return this.portfolio.portfolioHistory(user, query);
  }

  @Get('holding/:symbol')
  @ApiOkResponse({ type: HoldingResponseDto })
  @ApiErrors(404)
  getHolding(@CurrentUser() user: AuthUser, @Param('symbol') symbol: string): Promise<HoldingResponseDto> {
    return this.portfolio.getHolding(user, symbol);
  }

  @Post('holding')
  @HttpCode(201)
  @ApiCreatedResponse({ type: HoldingResponseDto })
  @ApiErrors(400, 422)
  trackHolding(@CurrentUser() user: AuthUser, @Body() dto: TrackHoldingDto): Promise<HoldingResponseDto> {
    return this.portfolio.trackHolding(user, dto);
  }

  @Delete('holding/:symbol')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Tracked holding removed' })
  @ApiErrors(404)
  untrackHolding(@CurrentUser() user: AuthUser, @Param('symbol') symbol: string): Promise<void> {
    return this.portfolio.untrackHolding(user, symbol);
  }
}
