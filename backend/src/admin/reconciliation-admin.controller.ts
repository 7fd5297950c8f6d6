import { Controller, Get, HttpCode, Post, Query, UseInterceptors } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, type AuthUser, CurrentUser } from '../common/auth/auth-user';
import { ApiErrors } from '../common/dto/error-response.dto';
import { PageQueryDto } from '../common/dto/pagination.dto';
import { ReconciliationPageDto, ReconciliationResponseDto } from '../wallet/reconciliation/dto/reconciliation.dto';
import { ProviderReconciliationService } from '../wallet/reconciliation/provider-reconciliation.service';
import { AdminReadAuditInterceptor } from './admin-read-audit.interceptor';

/** The external reconciliation: the ledger's liabilities against the payment provider's balances; the work is wallet's ProviderReconciliationService. */
@ApiTags('admin')
@Controller('api/admin/reconciliations')
@Authenticated({ roles: ['admin'] })
@UseInterceptors(AdminReadAuditInterceptor)
export class AdminReconciliationsController {
  constructor(private readonly reconciliations: ProviderReconciliationService) {}

  @Get()
  @ApiOperation({
    summary: 'The stored external reconciliations, newest first',
    description:
      'Each compares, per asset, what users own (available and held) with what the payment provider account holds (GET /v1/balance), payouts under way counted as leaving.',
  })
  @ApiOkResponse({ type: ReconciliationPageDto })
  @ApiErrors(400)
  listReconciliations(@Query() page: PageQueryDto): Promise<ReconciliationPageDto> {
    return this.reconciliations.list(page);
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Run the external reconciliation now',
    description:
      'Reads the provider’s balances and the ledger, stores the result (status error when the provider cannot be read) and exports it as cryptovault_provider_reconcile_*; audited.',
  })
  @ApiCreatedResponse({ type: ReconciliationResponseDto })
  runReconciliation(@CurrentUser() admin: AuthUser): Promise<ReconciliationResponseDto> {
    return this.reconciliations.runNow(admin);
  }
}
