import { Controller, Get, Header, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Authenticated, type AuthUser, CurrentUser } from '../common/auth/auth-user';
import { ApiErrors } from '../common/dto/error-response.dto';
import { GainsCsvQueryDto, GainsQueryDto, GainsReportResponseDto } from './dto/gains.dto';
import { ReportsService } from './reports.service';

@ApiTags('reports')
@Controller('api/reports')
@Authenticated()
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('gains')
  @ApiOperation({
    summary: 'Realised gains of a tax year',
    description:
      'Every disposal (sale, conversion, withdrawal not to your own wallet) of the UTC calendar year, one row per lot it closed, with acquired and disposed dates, proceeds after the fee, cost basis, fee, gain and term (long: held more than a year); totals of the rows whose cost basis is known. See API.md "Realised gains".',
  })
  @ApiOkResponse({ type: GainsReportResponseDto })
  @ApiErrors(400)
  gainsReport(@CurrentUser() user: AuthUser, @Query() query: GainsQueryDto): Promise<GainsReportResponseDto> {
    return this.reports.gains(user, query);
  }

  @Get('gains.csv')
  @Header('Cache-Control', 'no-store')
  @ApiProduces('text/csv')
  @ApiOperation({
    summary: 'Realised gains of a tax year as CSV',
    description:
      'layout cryptovault (the disposals and totals), koinly (Koinly\'s universal import template) or cointracker (CoinTracker\'s): API.md "Realised gains".',
  })
  @ApiOkResponse({ content: { 'text/csv': { schema: { type: 'string' } } }, description: 'An attachment' })
  @ApiErrors(400)
  async gainsReportCsv(@CurrentUser() user: AuthUser, @Query() query: GainsCsvQueryDto, @Res({ passthrough: true }) res: Response): Promise<string> {
    const { fileName, body } = await this.reports.gainsCsv(user, query);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
    return body;
  }
}
