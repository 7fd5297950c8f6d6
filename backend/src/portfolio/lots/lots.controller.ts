import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, type AuthUser, CurrentUser } from '../../common/auth/auth-user';
import { ApiErrors } from '../../common/dto/error-response.dto';
import { UuidPipe } from '../../common/pipes/id.pipes';
import {
  CostBasisMethodResponseDto,
  LotListDto,
  LotResponseDto,
  LotsQueryDto,
  OwnWalletResponseDto,
  SetCostBasisMethodDto,
  SetLotCostBasisDto,
  SetOwnWalletDto,
} from './dto/lots.dto';
import { LotsService } from './lots.service';

@ApiTags('portfolio')
@Controller('api/portfolio')
@Authenticated()
export class LotsController {
  constructor(private readonly lotsService: LotsService) {}

  @Get('lots')
  @ApiOperation({
    summary: 'Cost-basis lots',
    description:
      'Every lot the ledger opened (buys, conversions, deposits in kind, credits), oldest first, with what remains of it and its cost basis (fees included), rebuilt from the ledger by the cost-basis method in force at each disposal. See API.md "Cost-basis lots".',
  })
  @ApiOkResponse({ type: LotListDto })
  @ApiErrors(400)
  listLots(@CurrentUser() user: AuthUser, @Query() query: LotsQueryDto): Promise<LotListDto> {
    return this.lotsService.lots(user, query);
  }

  @Put('lots/:id/cost-basis')
  @ApiOperation({
    summary: 'Enter the cost basis of a deposit in kind',
    description: 'The USD cost of the whole lot; only for deposits in kind and credits (409 INVALID_STATE for a lot bought here). Audited.',
  })
  @ApiOkResponse({ type: LotResponseDto })
  @ApiErrors(400, 404, 409)
  setLotCostBasis(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Body() dto: SetLotCostBasisDto): Promise<LotResponseDto> {
    return this.lotsService.setLotCost(user, id, dto);
  }

  @Get('cost-basis-method')
  @ApiOperation({ summary: 'The lot-matching method', description: 'In force now (FIFO until changed), a pending change and the history.' })
  @ApiOkResponse({ type: CostBasisMethodResponseDto })
  getCostBasisMethod(@CurrentUser() user: AuthUser): Promise<CostBasisMethodResponseDto> {
    return this.lotsService.method(user);
  }

  @Put('cost-basis-method')
  @ApiOperation({
    summary: 'Change the lot-matching method from a day forward',
    description: 'From today (from now on) or a later day within a year; disposals before it keep the method then in force. Audited.',
  })
  @ApiOkResponse({ type: CostBasisMethodResponseDto })
  @ApiErrors(400)
  setCostBasisMethod(@CurrentUser() user: AuthUser, @Body() dto: SetCostBasisMethodDto): Promise<CostBasisMethodResponseDto> {
    return this.lotsService.setMethod(user, dto);
  }

  @Put('withdrawals/:id/own-wallet')
  @ApiOperation({
    summary: 'Mark a sent withdrawal as to your own wallet',
    description:
      'ownWallet true: a transfer (its lots leave the holdings without gain or loss); false: a disposal at market value. 404 unless it is a sent withdrawal of yours. Audited.',
  })
  @ApiOkResponse({ type: OwnWalletResponseDto })
  @ApiErrors(400, 404)
  setWithdrawalOwnWallet(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Body() dto: SetOwnWalletDto): Promise<OwnWalletResponseDto> {
    return this.lotsService.setOwnWallet(user, id, dto);
  }
}
