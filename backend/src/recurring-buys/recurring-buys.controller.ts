import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, type AuthUser, CurrentUser } from '../common/auth/auth-user';
import { ApiIdempotencyKey, IdempotencyKey } from '../common/decorators/idempotency-key.decorator';
import { ApiErrors } from '../common/dto/error-response.dto';
import { PageQueryDto } from '../common/dto/pagination.dto';
import { UuidPipe } from '../common/pipes/id.pipes';
import {
  CreateRecurringBuyDto,
  ListRecurringBuysQueryDto,
  RecurringBuyListDto,
  RecurringBuyResponseDto,
  RecurringBuyRunListDto,
} from './dto/recurring-buy.dto';
import { RecurringBuysService } from './recurring-buys.service';

/**
 * Recurring buys (API.md "Recurring buys"). No step-up: like a resting order, a schedule only ever buys with the
 * owner's own balance into their own account; nothing leaves it. The default per-user rate limit applies.
 */
@ApiTags('recurring-buys')
@Controller('api/recurring-buys')
@Authenticated()
export class RecurringBuysController {
  constructor(private readonly recurring: RecurringBuysService) {}

  @Post()
  @HttpCode(201)
  @ApiIdempotencyKey('A replay returns the first response (one schedule for a double submit); the same key with another body is 409')
  @ApiCreatedResponse({ type: RecurringBuyResponseDto })
  @ApiErrors(400, 409, 422, 429)
  createRecurringBuy(@CurrentUser() user: AuthUser, @Body() dto: CreateRecurringBuyDto, @IdempotencyKey() key?: string): Promise<RecurringBuyResponseDto> {
    return this.recurring.create(user.id, dto, key);
  }

  @Get()
  @ApiOkResponse({ type: RecurringBuyListDto })
  @ApiErrors(400)
  listRecurringBuys(@CurrentUser() user: AuthUser, @Query() query: ListRecurringBuysQueryDto): Promise<RecurringBuyListDto> {
    return this.recurring.list(user.id, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: RecurringBuyResponseDto })
  @ApiErrors(400, 404)
  getRecurringBuy(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string): Promise<RecurringBuyResponseDto> {
    return this.recurring.get(user.id, id);
  }

  @Get(':id/runs')
  @ApiOkResponse({ type: RecurringBuyRunListDto })
  @ApiErrors(400, 404)
  listRecurringBuyRuns(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Query() query: PageQueryDto): Promise<RecurringBuyRunListDto> {
    return this.recurring.runs(user.id, id, query);
  }

  @Post(':id/pause')
  @HttpCode(200)
  @ApiOkResponse({ type: RecurringBuyResponseDto })
  @ApiErrors(400, 404, 409)
  pauseRecurringBuy(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string): Promise<RecurringBuyResponseDto> {
    return this.recurring.pause(user.id, id);
  }

  @Post(':id/resume')
  @HttpCode(200)
  @ApiOkResponse({ type: RecurringBuyResponseDto })
  @ApiErrors(400, 404, 409, 422)
  resumeRecurringBuy(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string): Promise<RecurringBuyResponseDto> {
    return this.recurring.resume(user.id, id);
  }

  @Delete(':id')
  @ApiOkResponse({ type: RecurringBuyResponseDto })
  @ApiErrors(400, 404, 409)
  deleteRecurringBuy(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string): Promise<RecurringBuyResponseDto> {
    return this.recurring.remove(user.id, id);
  }
}
