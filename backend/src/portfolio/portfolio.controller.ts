import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, type AuthUser, CurrentUser } from '../common/auth/auth-user';
import { ApiKeyScope } from '../auth/api-keys/api-key-scope.decorator';
import { ApiErrors } from '../common/dto/error-response.dto';
import {
  HoldingResponseDto,
  MoveTrackedLotDto,
  PortfolioHistoryDto,
  PortfolioHistoryQueryDto,
  PortfolioResponseDto,
  TrackedLotListDto,
  TrackedLotResponseDto,
  TrackHoldingDto,
} from './dto/portfolio.dto';
import { UuidPipe } from '../common/pipes/id.pipes';
import { PerformanceQueryDto, PerformanceResponseDto } from './dto/performance.dto';
import { PerformanceService } from './performance/performance.service';
import { PortfolioService } from './portfolio.service';

@ApiTags('portfolio')
@Controller('api/portfolio')
@Authenticated()
export class PortfolioController {
  constructor(
    private readonly portfolio: PortfolioService,
    private readonly performanceService: PerformanceService,
  ) {}

  @Get()
  @ApiKeyScope('read')
  @ApiOkResponse({ type: PortfolioResponseDto })
  getPortfolio(@CurrentUser() user: AuthUser): Promise<PortfolioResponseDto> {
    return this.portfolio.getPortfolio(user);
  }

  @Get('history')
  @ApiKeyScope('read')
  @ApiOkResponse({ type: PortfolioHistoryDto })
  @ApiErrors(400)
  portfolioHistory(@CurrentUser() user: AuthUser, @Query() query: PortfolioHistoryQueryDto): Promise<PortfolioHistoryDto> {
    return this.portfolio.portfolioHistory(user, query);
  }

  @Get('performance')
  @ApiKeyScope('read')
  @ApiOperation({
    summary: 'Returns net of deposits and withdrawals over a range',
    description:
      'Value now = start value + net flows + gain; time-weighted and money-weighted returns (percent strings); a chart from the first funding; per-asset unrealised and realised P&L and fees (average cost). See API.md "Portfolio performance".',
  })
  @ApiOkResponse({ type: PerformanceResponseDto })
  @ApiErrors(400)
  portfolioPerformance(@CurrentUser() user: AuthUser, @Query() query: PerformanceQueryDto): Promise<PerformanceResponseDto> {
    return this.performanceService.performance(user, query.range ?? '1M');
  }

  @Get('holding/:symbol')
  @ApiKeyScope('read')
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

  @Get('tracked-lots')
  @ApiKeyScope('read')
  @ApiOperation({ summary: 'The dated lots of your tracked holdings (each addition), oldest first' })
  @ApiOkResponse({ type: TrackedLotListDto })
  listTrackedLots(@CurrentUser() user: AuthUser): Promise<TrackedLotListDto> {
    return this.portfolio.trackedLots(user);
  }

  @Patch('tracked-lots/:id')
  @ApiOperation({ summary: 'Changes when a tracked lot was acquired (from 2009 on, not in the future): the performance history counts it from then' })
  @ApiOkResponse({ type: TrackedLotResponseDto })
  @ApiErrors(400, 404)
  moveTrackedLot(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Body() dto: MoveTrackedLotDto): Promise<TrackedLotResponseDto> {
    return this.portfolio.moveTrackedLot(user, id, dto);
  }

  @Delete('holding/:symbol')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Tracked holding removed' })
  @ApiErrors(404)
  untrackHolding(@CurrentUser() user: AuthUser, @Param('symbol') symbol: string): Promise<void> {
    return this.portfolio.untrackHolding(user, symbol);
  }
}
