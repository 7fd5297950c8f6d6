import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Authenticated, type AuthUser, CurrentUser } from '../common/auth/auth-user';
import { ApiErrors } from '../common/dto/error-response.dto';
import { UuidPipe } from '../common/pipes/id.pipes';
import {
  AdminLedgerAdjustmentPageDto,
  AdminLedgerAdjustmentQueryDto,
  LedgerAdjustmentDto,
  LedgerAdjustmentResponseDto,
  RejectLedgerAdjustmentDto,
} from '../wallet/dto/wallet.dto';
import { LedgerAdjustmentsService } from '../wallet/ledger-adjustments.service';

/** Admin corrections of the ledger under dual control; the work is wallet's LedgerAdjustmentsService. */
@ApiTags('admin')
@Controller('api/admin/ledger')
@Authenticated({ roles: ['admin'] })
export class LedgerAdjustmentsController {
  constructor(private readonly adjustments: LedgerAdjustmentsService) {}

  @Post('adjustments')
  @HttpCode(201)
  @ApiOperation({
    description:
      'Credits (or, negative, debits) a user against the platform treasury. Never the admin’s own account (403). Valued in USD at a fresh quote (422 PRICE_STALE without one): ' +
      'once the requesting admin’s adjustments of the last 24 hours, this one included, reach LEDGER_ADJUSTMENT_DUAL_APPROVAL_USD (default WITHDRAWAL_DUAL_APPROVAL_USD), ' +
      'it is held pending (202) until a different admin approves or rejects it.',
  })
  @ApiCreatedResponse({ type: LedgerAdjustmentResponseDto, description: 'Posted to the ledger' })
  @ApiAcceptedResponse({ type: LedgerAdjustmentResponseDto, description: 'Held pending: a second admin must approve it' })
  @ApiErrors(400, 403, 404, 422)
  async createLedgerAdjustment(
    @CurrentUser() admin: AuthUser,
    @Body() dto: LedgerAdjustmentDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<LedgerAdjustmentResponseDto> {
    const result = await this.adjustments.create(admin, dto);
    res.status(result.status);
    return result.body;
  }

  @Get('adjustments')
  @ApiOkResponse({ type: AdminLedgerAdjustmentPageDto })
  @ApiErrors(400)
  listLedgerAdjustments(@Query() query: AdminLedgerAdjustmentQueryDto): Promise<AdminLedgerAdjustmentPageDto> {
    return this.adjustments.list(query);
  }

  @Post('adjustments/:id/approve')
  @HttpCode(200)
  @ApiOperation({
    description: 'Posts a pending adjustment. Not by the admin who requested it, nor by the account holder (403); once only (409 when decided).',
  })
  @ApiOkResponse({ type: LedgerAdjustmentResponseDto })
  @ApiErrors(400, 403, 404, 409, 422)
  approveLedgerAdjustment(@CurrentUser() admin: AuthUser, @Param('id', UuidPipe) id: string): Promise<LedgerAdjustmentResponseDto> {
    return this.adjustments.approve(admin, id);
  }

  @Post('adjustments/:id/reject')
  @HttpCode(200)
  @ApiOkResponse({ type: LedgerAdjustmentResponseDto })
  @ApiErrors(400, 403, 404, 409)
  rejectLedgerAdjustment(
    @CurrentUser() admin: AuthUser,
    @Param('id', UuidPipe) id: string,
    @Body() dto: RejectLedgerAdjustmentDto,
  ): Promise<LedgerAdjustmentResponseDto> {
    return this.adjustments.reject(admin, id, dto);
  }
}
