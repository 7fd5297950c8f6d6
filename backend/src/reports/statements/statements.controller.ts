import { Controller, Get, Header, Param, StreamableFile, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Authenticated, type AuthUser, CurrentUser } from '../../common/auth/auth-user';
import { ApiErrors } from '../../common/dto/error-response.dto';
import { StatementMonthsDto } from './dto/statements.dto';
import { StatementsRateLimitGuard } from './statements-rate-limit.guard';
import { StatementsService } from './statements.service';

const MONTH_PARAM = {
  name: 'month',
  example: '2026-06',
  description: 'A calendar month (UTC), `YYYY-MM`, from the month of the account’s first ledger entry to this month',
  schema: { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$' },
} as const;

/** Monthly account statements of the caller's own account (API.md "Statements"). */
@ApiTags('reports')
@Controller('api/reports/statements')
@Authenticated()
export class StatementsController {
  constructor(private readonly statements: StatementsService) {}

  @Get()
  @ApiOkResponse({ type: StatementMonthsDto })
  listStatementMonths(@CurrentUser() user: AuthUser): Promise<StatementMonthsDto> {
    return this.statements.months(user);
  }

  /** The month's statement as a PDF: opening and closing balance per asset, every movement with its fee, the valuation. */
  @Get(':month.pdf')
  @UseGuards(StatementsRateLimitGuard)
  @Header('Cache-Control', 'no-store')
  @ApiParam(MONTH_PARAM)
  @ApiProduces('application/pdf')
  @ApiOkResponse({
    content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
    description:
      'The statement as a PDF (attachment); 422 STATEMENT_TOO_LARGE for a month with more movements than a PDF holds (STATEMENT_PDF_MAX_ROWS): its CSV has them all',
  })
  @ApiErrors(400, 422, 429)
  async downloadStatementPdf(@CurrentUser() user: AuthUser, @Param('month') month: string): Promise<StreamableFile> {
    const { file, filename } = await this.statements.pdf(user, month);
    return new StreamableFile(file, { type: 'application/pdf', disposition: `attachment; filename="${filename}"` });
  }

  /** The same statement as CSV (one table: opening, movement, closing rows per asset, and the total). */
  @Get(':month.csv')
  @UseGuards(StatementsRateLimitGuard)
  @Header('Cache-Control', 'no-store')
  @ApiParam(MONTH_PARAM)
  @ApiProduces('text/csv')
  @ApiOkResponse({
    content: { 'text/csv': { schema: { type: 'string' } } },
    description: 'row,asset,time,type,description,reference,amount,fee,balance,credited,debited,price,usdValue (API.md "Statements")',
  })
  @ApiErrors(400, 429)
  async downloadStatementCsv(@CurrentUser() user: AuthUser, @Param('month') month: string): Promise<StreamableFile> {
    const { file, filename } = await this.statements.csv(user, month);
    return new StreamableFile(file, { type: 'text/csv; charset=utf-8', disposition: `attachment; filename="${filename}"` });
  }
}
