import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
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
import { WithdrawalsService } from '../wallet/withdrawals/withdrawals.service';

/** The withdrawal review queue (approve, complete, reject); the work is wallet's WithdrawalsService. */
@ApiTags('admin')
@Controller('api/admin/withdrawals')
@Authenticated({ roles: ['admin'] })
export class AdminWithdrawalsController {
  constructor(private readonly withdrawals: WithdrawalsService) {}

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

  @Post(':id/reject')
  @HttpCode(200)
  @ApiOkResponse({ type: AdminWithdrawalResponseDto })
  @ApiErrors(400, 404, 409)
  rejectWithdrawal(@CurrentUser() admin: AuthUser, @Param('id', UuidPipe) id: string, @Body() dto: RejectWithdrawalDto): Promise<AdminWithdrawalResponseDto> {
    return this.withdrawals.reject(admin, id, dto);
  }
}
