import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { UuidPipe } from '../../common/pipes/id.pipes';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, type AuthUser, CurrentUser } from '../../common/auth/auth-user';
import { ApiKeyScope } from '../../auth/api-keys/api-key-scope.decorator';
import { ApiErrors } from '../../common/dto/error-response.dto';
import { PageQueryDto } from '../../common/dto/pagination.dto';
import { CreateWithdrawalDto, WithdrawalPageDto, WithdrawalResponseDto, WithdrawalRulesResponseDto } from './dto/withdrawal.dto';
import { WithdrawalsService } from './withdrawals.service';
import { ApiIdempotencyKey, IdempotencyKey } from '../../common/decorators/idempotency-key.decorator';

@ApiTags('wallet')
@Controller('api/wallet')
@Authenticated()
@ApiKeyScope('read')
export class WithdrawalsController {
  constructor(private readonly withdrawals: WithdrawalsService) {}

  @Post('withdraw')
  @ApiKeyScope('withdraw')
  @HttpCode(201)
  @ApiIdempotencyKey('A replay returns the first result; the same key with another body is 409')
  @ApiOperation({
    summary: 'Request a withdrawal, confirmed with a two-factor code (or a backup code)',
    description: 'Wrong codes count on the confirmation counter: 429 ACCOUNT_LOCKED (with Retry-After) once this session or the account is locked out.',
  })
  @ApiCreatedResponse({ type: WithdrawalResponseDto })
  @ApiErrors(400, 403, 409, 422, 429)
  createWithdrawal(
    @CurrentUser() user: AuthUser,
    @Body() dto: CreateWithdrawalDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<WithdrawalResponseDto> {
    return this.withdrawals.create(user, dto, idempotencyKey);
  }

  @Get('withdrawal-rules')
  @ApiOkResponse({
    type: WithdrawalRulesResponseDto,
    description: 'What POST /withdraw enforces: per-asset networks, minimum, fee and decimals, and the USD limits',
  })
  getWithdrawalRules(@CurrentUser() user: AuthUser): Promise<WithdrawalRulesResponseDto> {
    return this.withdrawals.rules(user.id);
  }

  @Get('withdrawals')
  @ApiOkResponse({ type: WithdrawalPageDto })
  @ApiErrors(400)
  listWithdrawals(@CurrentUser() user: AuthUser, @Query() page: PageQueryDto): Promise<WithdrawalPageDto> {
    return this.withdrawals.list(user.id, page);
  }

  @Get('withdraw/:id')
  @ApiOkResponse({ type: WithdrawalResponseDto })
  @ApiErrors(400, 404)
  getWithdrawal(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string): Promise<WithdrawalResponseDto> {
    return this.withdrawals.get(user.id, id);
  }

  @Post('withdraw/:id/cancel')
  @ApiKeyScope('withdraw')
  @HttpCode(200)
  @ApiOkResponse({ type: WithdrawalResponseDto })
  @ApiErrors(400, 404, 409)
  cancelWithdrawal(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string): Promise<WithdrawalResponseDto> {
    return this.withdrawals.cancel(user, id);
  }
}
