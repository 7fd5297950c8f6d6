import { Body, Controller, Headers, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { SkipCsrf } from '../../../auth/csrf.guard';
import { ApiErrors } from '../../../common/dto/error-response.dto';
import { PayoutIpnAckDto } from './dto/payout.dto';
import { PayoutStatuses } from './payout-statuses';

/** Server-to-server: NOWPayments (or `npm run sandbox:payout`) reports a payout's status; authenticated by the IPN signature alone. */
@ApiTags('wallet')
@Controller('api/wallet/webhook')
export class PayoutWebhookController {
  constructor(private readonly statuses: PayoutStatuses) {}

  @Post('nowpayments/payouts')
  @HttpCode(200)
  @SkipCsrf()
  @SkipThrottle()
  @ApiOperation({
    summary: 'NOWPayments payout status IPN: x-nowpayments-sig is the hex HMAC-SHA512 of the body with sorted keys; always verified',
    description:
      'The body is the withdrawal of the payout batch (id, batch_withdrawal_id, status, currency, amount, address, hash, unique_external_id, …). It must match the withdrawal ' +
      'it names (unique_external_id, the payout id, amount, currency, address), else 400 and nothing changes. FINISHED with its hash completes the withdrawal, FAILED or REJECTED ' +
      'releases its hold, each once. Bodies over 16 KB are refused (413); signature failures count as on the payment webhook (429 past 10 a minute from one address).',
  })
  @ApiHeader({ name: 'x-nowpayments-sig', required: true })
  @ApiBody({ schema: { type: 'object', additionalProperties: true } })
  @ApiOkResponse({ type: PayoutIpnAckDto })
  @ApiErrors(400, 413, 429)
  receiveNowPaymentsPayoutIpn(@Body() body: Record<string, unknown>, @Headers('x-nowpayments-sig') signature: string | undefined): Promise<PayoutIpnAckDto> {
    return this.statuses.handleIpn(body, signature);
  }
}
