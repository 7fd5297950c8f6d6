import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, type AuthUser, CurrentUser } from '../common/auth/auth-user';
import { ApiErrors } from '../common/dto/error-response.dto';
import { UuidPipe } from '../common/pipes/id.pipes';
import {
  AdminWithdrawalPageDto,
  AdminWithdrawalQueryDto,
  AdminWithdrawalResponseDto,
  CompleteWithdrawalDto,
  RejectWithdrawalDto,
} from '../wallet/withdrawals/dto/withdrawal.dto';
import { PayoutStatuses } from '../wallet/withdrawals/payouts/payout-statuses';
import { WithdrawalsService } from '../wallet/withdrawals/withdrawals.service';

/** The withdrawal review queue (approve, complete, reject); the work is wallet's WithdrawalsService. */
@ApiTags('admin')
@Controller('api/admin/withdrawals')
@Authenticated({ roles: ['admin'] })
export class AdminWithdrawalsController {
  constructor(
    private readonly withdrawals: WithdrawalsService,
    private readonly payouts: PayoutStatuses,
  ) {}

  @Get()
  @ApiOkResponse({ type: AdminWithdrawalPageDto })
  @ApiErrors(400)
  listAdminWithdrawals(@Query() query: AdminWithdrawalQueryDto): Promise<AdminWithdrawalPageDto> {
    return this.withdrawals.adminList(query);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @ApiOkResponse({ type: AdminWithdrawalResponseDto })
  @ApiErrors(400, 404, 409)
  approveWithdrawal(@CurrentUser() admin: AuthUser, @Param('id', UuidPipe) id: string): Promise<AdminWithdrawalResponseDto> {
    return this.withdrawals.approve(admin, id);
  }

  @Post(':id/complete')
  @HttpCode(200)
  @ApiOkResponse({ type: AdminWithdrawalResponseDto })
  @ApiErrors(400, 404, 409)
  completeWithdrawal(
    @CurrentUser() admin: AuthUser,
    @Param('id', UuidPipe) id: string,
    @Body() dto: CompleteWithdrawalDto,
  ): Promise<AdminWithdrawalResponseDto> {
    return this.withdrawals.complete(admin, id, dto);
  }

  @Post(':id/payout/resolve')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Check a live payout with the payment provider and apply its answer',
    description:
      'For a payout under way (sending, created, processing) that seems stuck: looks it up at the provider (by batch, else by unique_external_id). ' +
      'FINISHED with a hash completes the withdrawal with it; FAILED or REJECTED, or no payout at the provider once its sender stopped, makes the payout ' +
      'manual (provider_failed, not_at_provider): complete or reject it as usual. Still under way: 409 PAYOUT_IN_PROGRESS with the provider status. Audited ' +
      '(wallet.payout_resolved).',
  })
  @ApiOkResponse({ type: AdminWithdrawalResponseDto })
  @ApiErrors(400, 404, 409, 503)
  async resolveWithdrawalPayout(@CurrentUser() admin: AuthUser, @Param('id', UuidPipe) id: string): Promise<AdminWithdrawalResponseDto> {
    await this.payouts.resolve(admin, id);
    return this.withdrawals.adminView(id);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @ApiOkResponse({ type: AdminWithdrawalResponseDto })
  @ApiErrors(400, 404, 409)
  rejectWithdrawal(@CurrentUser() admin: AuthUser, @Param('id', UuidPipe) id: string, @Body() dto: RejectWithdrawalDto): Promise<AdminWithdrawalResponseDto> {
    return this.withdrawals.reject(admin, id, dto);
  }
}
