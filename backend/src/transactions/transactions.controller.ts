import { Controller, Get, Header, Param, Query } from '@nestjs/common';
import { BigintIdPipe } from '../common/pipes/id.pipes';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, type AuthUser, CurrentUser } from '../common/auth/auth-user';
import { ApiKeyScope } from '../auth/api-keys/api-key-scope.decorator';
import { ApiErrors } from '../common/dto/error-response.dto';
import {
  ListTransactionsQueryDto,
  ExportTransactionsQueryDto,
  TransactionListDto,
  TransactionResponseDto,
  TransactionStatsResponseDto,
} from './dto/transaction.dto';
import { ActivityListDto, ActivityQueryDto } from './dto/activity.dto';
import { TransactionsService } from './transactions.service';

@ApiTags('transactions')
@Controller('api/transactions')
@Authenticated()
@ApiKeyScope('read')
export class TransactionsController {
  constructor(private readonly transactions: TransactionsService) {}

  @Get()
  @ApiOkResponse({ type: TransactionListDto })
  @ApiErrors(400)
  listTransactions(@CurrentUser() user: AuthUser, @Query() query: ListTransactionsQueryDto): Promise<TransactionListDto> {
    return this.transactions.listTransactions(user, query);
  }

  @Get('activity')
  @ApiOkResponse({ type: ActivityListDto, description: 'One item per business event, newest first (API.md "Transactions")' })
  @ApiErrors(400)
  listActivity(@CurrentUser() user: AuthUser, @Query() query: ActivityQueryDto): Promise<ActivityListDto> {
    return this.transactions.listActivity(user, query);
  }

  @Get('summary/stats')
  @ApiOkResponse({ type: TransactionStatsResponseDto })
  transactionStats(@CurrentUser() user: AuthUser): Promise<TransactionStatsResponseDto> {
    return this.transactions.transactionStats(user);
  }

  @Get('export.csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="transactions.csv"')
  @ApiOkResponse({
    content: { 'text/csv': { schema: { type: 'string' } } },
    description:
      'id,type,asset,amount,status,description,reference,createdAt,eventId,price,fee,feeAsset,usdValue,balanceAfter; the same filters as the list, and `event`: the rows of events of that type (API.md "Transactions")',
  })
  @ApiErrors(400)
  exportTransactionsCsv(@CurrentUser() user: AuthUser, @Query() filters: ExportTransactionsQueryDto): Promise<string> {
    return this.transactions.exportTransactionsCsv(user, filters);
  }

  @Get(':id')
  @ApiOkResponse({ type: TransactionResponseDto })
  @ApiErrors(400, 404)
  getTransaction(@CurrentUser() user: AuthUser, @Param('id', BigintIdPipe) id: string): Promise<TransactionResponseDto> {
    return this.transactions.getTransaction(user, id);
  }
}
