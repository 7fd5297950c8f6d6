import { Body, Controller, Get, Header, HttpCode, Param, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { RequiresStepUp } from '../auth/step-up/requires-step-up.decorator';
import { Authenticated, type AuthUser, CurrentUser } from '../common/auth/auth-user';
import { ApiErrors } from '../common/dto/error-response.dto';
import { UuidPipe } from '../common/pipes/id.pipes';
import { AccountService } from './account.service';
import {
  AccountClosedDto,
  AccountExportDto,
  AccountExportListDto,
  ClosureStatusDto,
  CloseAccountDto,
  ExportDownloadLinkDto,
  ExportDownloadQueryDto,
} from './dto/account.dto';

/**
 * "Your data": the caller's own data exports and the closing of the caller's own account. Every route acts on the
 * caller only (an admin has no way here to another user's data).
 */
@ApiTags('account')
@Controller('api/account')
@Authenticated()
export class AccountController {
  constructor(private readonly account: AccountService) {}

  /** Starts an export of everything we hold about the caller (made in the background; an email says when it is ready). */
  @Post('exports')
  @HttpCode(202)
  @RequiresStepUp()
  @ApiAcceptedResponse({ type: AccountExportDto })
  @ApiErrors(409, 429)
  requestAccountExport(@CurrentUser() user: AuthUser): Promise<AccountExportDto> {
    return this.account.requestExport(user.id);
  }

  @Get('exports')
  @ApiOkResponse({ type: AccountExportListDto })
  listAccountExports(@CurrentUser() user: AuthUser): Promise<AccountExportListDto> {
    return this.account.listExports(user.id);
  }

  /** A download link for a ready export, for this session and a few minutes. */
  @Post('exports/:id/link')
  @HttpCode(200)
  @RequiresStepUp()
  @ApiOkResponse({ type: ExportDownloadLinkDto })
  @ApiErrors(400, 404, 409, 410)
  createAccountExportLink(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string): Promise<ExportDownloadLinkDto> {
    return this.account.downloadLink(user, id);
  }

  /** The zip (README.txt, data.json, tables/<table>.csv), through a link of this session. */
  @Get('exports/:id/download')
  @Header('Content-Type', 'application/zip')
  @Header('Cache-Control', 'no-store')
  @ApiProduces('application/zip')
  @ApiOkResponse({ content: { 'application/zip': { schema: { type: 'string', format: 'binary' } } }, description: 'The export as a zip' })
  @ApiErrors(400, 403, 404, 409, 410)
  async downloadAccountExport(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidPipe) id: string,
    @Query() query: ExportDownloadQueryDto,
  ): Promise<StreamableFile> {
    const { file, filename } = await this.account.download(user, id, query.token);
    return new StreamableFile(file, { type: 'application/zip', disposition: `attachment; filename="${filename}"`, length: file.length });
  }

  /** Whether the account can be closed now, and what has to be done first. */
  @Get('closure')
  @ApiOkResponse({ type: ClosureStatusDto })
  getAccountClosure(@CurrentUser() user: AuthUser): Promise<ClosureStatusDto> {
    return this.account.closureStatus(user.id);
  }

  /**
   * Closes the caller's account for good: only with nothing left in it (409 ACCOUNT_NOT_EMPTY lists what blocks),
   * confirmed by typing its email address. Sessions end, personal data is erased; the ledger stays.
   */
  @Post('close')
  @HttpCode(200)
  @RequiresStepUp()
  @ApiOkResponse({ type: AccountClosedDto })
  @ApiErrors(400, 409)
  closeAccount(@CurrentUser() user: AuthUser, @Body() dto: CloseAccountDto): Promise<AccountClosedDto> {
    return this.account.close(user, dto.confirmEmail);
  }
}
