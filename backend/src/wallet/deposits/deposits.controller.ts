import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { UuidPipe } from '../../common/pipes/id.pipes';
import { ApiBody, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, type AuthUser, CurrentUser } from '../../common/auth/auth-user';
import { ApiKeyScope } from '../../auth/api-keys/api-key-scope.decorator';
import { ApiErrors } from '../../common/dto/error-response.dto';
import { PageQueryDto } from '../../common/dto/pagination.dto';
import { SkipCsrf } from '../../auth/csrf.guard';
import { SkipThrottle } from '@nestjs/throttler';
import { DepositsService } from './deposits.service';
import { CreateDepositDto, DepositDto, DepositPageDto, DepositResponseDto, IpnAckDto } from './dto/deposit.dto';

@ApiTags('wallet')
@Controller('api/wallet')
@Authenticated()
export class DepositsController {
  constructor(private readonly deposits: DepositsService) {}

  @Post('deposit/create')
  @HttpCode(201)
  @ApiOperation({ summary: 'Start a USD deposit paid in crypto through the payment provider' })
  @ApiCreatedResponse({ type: DepositDto })
  @ApiErrors(400, 503)
  createDeposit(@CurrentUser() user: AuthUser, @Body() dto: CreateDepositDto): Promise<DepositDto> {
    return this.deposits.create(user, dto);
  }

  @Get('deposits')
  @ApiKeyScope('read')
  @ApiOkResponse({ type: DepositPageDto })
  @ApiErrors(400)
  listDeposits(@CurrentUser() user: AuthUser, @Query() page: PageQueryDto): Promise<DepositPageDto> {
    return this.deposits.list(user.id, page);
  }

  @Get('deposit/:orderId')
  @ApiKeyScope('read')
  @ApiOkResponse({ type: DepositResponseDto })
  @ApiErrors(400, 404)
  getDeposit(@CurrentUser() user: AuthUser, @Param('orderId', UuidPipe) orderId: string): Promise<DepositResponseDto> {
    return this.deposits.get(user.id, orderId);
  }

  @Post('deposit/:orderId/simulate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sandbox provider outside production only: pay the deposit by sending its signed finished IPN through the webhook' })
  @ApiOkResponse({ type: DepositResponseDto })
  @ApiErrors(400, 404)
  simulateDeposit(@CurrentUser() user: AuthUser, @Param('orderId', UuidPipe) orderId: string): Promise<DepositResponseDto> {
    return this.deposits.simulate(user.id, orderId);
  }
}

/** Server-to-server: NOWPayments (or the sandbox) calls it; authenticated by the IPN signature alone. */
@ApiTags('wallet')
@Controller('api/wallet/webhook')
export class PaymentWebhookController {
  constructor(private readonly deposits: DepositsService) {}

  @Post('nowpayments')
  @HttpCode(200)
  @SkipCsrf()
  @SkipThrottle()
  @ApiOperation({
    summary: 'NOWPayments IPN: x-nowpayments-sig is the hex HMAC-SHA512 of the body with sorted keys; always verified',
    description:
      'Bodies over 16 KB are refused (413). After 10 signature failures from one address in a minute, further failures answer 429 until the minute ends; correctly signed IPNs are never refused.',
  })
  @ApiHeader({ name: 'x-nowpayments-sig', required: true })
  @ApiBody({ schema: { type: 'object', additionalProperties: true } })
  @ApiOkResponse({ type: IpnAckDto })
  @ApiErrors(400, 413, 429)
  receiveNowPaymentsIpn(@Body() body: Record<string, unknown>, @Headers('x-nowpayments-sig') signature: string | undefined): Promise<IpnAckDto> {
    return this.deposits.handleIpn(body, signature);
  }
}
