import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { PasskeyAssertionDto } from '../../../auth/passkeys/dto/passkey.dto';
import { IsUuidKey } from '../../../common/decorators/is-uuid-key.decorator';
import { IsDecimalString } from '../../../common/decorators/is-decimal-string.decorator';
import { IsTicker } from '../../../common/decorators/is-ticker.decorator';
import { chooseOne } from '../../../common/decorators/validation-messages';
import { PageQueryDto } from '../../../common/dto/pagination.dto';
import { WITHDRAWAL_AMOUNT_SCALE, WITHDRAWAL_NETWORKS } from '../withdrawal-rules';
import { WITHDRAWAL_STATUSES, WithdrawalStatus } from '../withdrawal-state';
import { WithdrawalPayoutDto } from '../payouts/dto/payout.dto';

const CODE = { message: 'Enter the 6-digit code from your authenticator app, or a backup code' };
const TX_HASH = { message: 'Enter the transaction hash: 16 to 126 letters and digits, optionally after 0x' };
const REASON_500 = { message: 'Enter a reason of 3 to 500 characters' };

export class CreateWithdrawalDto {
  @IsTicker({ minLength: 2, maxLength: 10, description: 'Asset to send out (BTC, ETH, USDT, USDC, LTC, BNB, SOL, XRP, DOGE)' })
  asset: string;

  @IsDecimalString({
    exclusiveMin: true,
    min: '0',
    max: '100000000000000',
    maxScale: WITHDRAWAL_AMOUNT_SCALE,
    label: 'an amount',
    description: 'Amount the address receives, in the asset; the fee is held on top',
    example: '0.01',
  })
  amount: string;

  @ApiProperty({
    format: 'uuid',
    description:
      'A saved address (GET /api/wallet/addresses) for this asset, confirmed and past its hold; raw addresses are not accepted. The network is the address’s',
  })
  @IsUuidKey('addressId', 'Choose one of your saved addresses')
  addressId: string;

  @ApiPropertyOptional({
    example: '123456',
    minLength: 6,
    maxLength: 20,
    description: 'Current authenticator code (or an unused backup code), 6 to 20 characters; or send `passkey` instead',
  })
  @IsOptional()
  @IsString(CODE)
  @Length(6, 20, CODE)
  twoFactorCode?: string;

  @ApiPropertyOptional({
    type: PasskeyAssertionDto,
    description: "Instead of twoFactorCode: one of the account's passkeys answering a challenge from POST /api/auth/passkeys/confirmation-options",
  })
  @IsOptional()
  @ValidateNested({ message: 'The passkey did not answer completely: try it again' })
  @Type(() => PasskeyAssertionDto)
  passkey?: PasskeyAssertionDto;
}

/** The dollars behind a cash-out: what left the USD balance and at what price it became the stablecoin sent. */
export class WithdrawalCashOutDto {
  @ApiProperty({ example: '100.00', description: 'Dollars debited from the USD balance, conversion fee included (given back whole if it is not sent)' })
  usdAmount: string;

  @ApiProperty({ example: '0.09990010', description: 'The conversion fee, in USD, part of usdAmount (the trading fee of what was converted)' })
  conversionFee: string;

  @ApiProperty({ example: '1.0002', description: 'USD price of one unit of the stablecoin the dollars were converted at (the quote’s)' })
  price: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The cash-out quote it was made from' })
  quoteId: string | null;
}

export class WithdrawalDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'BTC' })
  asset: string;

  @ApiProperty({ example: 'bitcoin' })
  network: string;

  @ApiProperty()
  address: string;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The saved address it goes to (null for withdrawals from before the address book)',
  })
  addressId: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'My hardware wallet', description: 'That address’s label when the withdrawal was requested' })
  addressLabel: string | null;

  @ApiProperty({ example: '0.01000000' })
  amount: string;

  @ApiProperty({ example: '0.00010000', description: 'Network fee, in the asset' })
  fee: string;

  @ApiProperty({ example: '0.01010000', description: 'Amount plus fee: what leaves the balance' })
  total: string;

  @ApiProperty({ example: '950.00', description: 'USD value of the amount when requested' })
  usdValue: string;

  @ApiProperty({ enum: WITHDRAWAL_STATUSES, enumName: 'WithdrawalStatus' })
  status: WithdrawalStatus;

  @ApiProperty({ example: 1, description: 'Admin approvals so far' })
  approvals: number;

  @ApiProperty({
    example: 1,
    description: 'Approvals needed: 2 once the user’s withdrawals of the last 24 hours, this one included, reach WITHDRAWAL_DUAL_APPROVAL_USD',
  })
  requiredApprovals: number;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16',
    description: 'Transaction hash of the payout, as the admin who completed it entered it (null until completed)',
  })
  txHash: string | null;

  @ApiProperty({
    type: String,
    format: 'uri',
    nullable: true,
    example: 'https://mempool.space/tx/f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16',
    description:
      "The payout's page on the block explorer of its network (the network's `explorerTxUrl` in GET /api/wallet/withdrawal-rules), " +
      'made only from a txHash in that chain’s format (Bitcoin, Litecoin, Dogecoin, Tron, XRP: 64 hex digits; Ethereum and BSC: 0x and 64 hex digits; ' +
      'Solana: a base58 signature of 64 bytes), written in its canonical case and URL-encoded. null until completed, when the hash has another format ' +
      '(it is then shown as text only), or when the network has no explorer',
  })
  explorerUrl: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  rejectReason: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;

  @ApiPropertyOptional({ format: 'date-time', type: String, nullable: true })
  completedAt: string | null;

  @ApiProperty({
    type: WithdrawalCashOutDto,
    nullable: true,
    description: 'A USD cash-out (POST /api/wallet/cash-outs): the dollars it took and the rate they were converted at; null for any other withdrawal',
  })
  cashOut: WithdrawalCashOutDto | null;
}

export class WithdrawalResponseDto {
  @ApiProperty({ type: WithdrawalDto })
  withdrawal: WithdrawalDto;
}

export class WithdrawalPageDto {
  @ApiProperty({ type: [WithdrawalDto] })
  items: WithdrawalDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}

export class AdminWithdrawalDto extends WithdrawalDto {
  @ApiProperty({ format: 'uuid' })
  userId: string;

  @ApiProperty({ example: 'user@example.com' })
  userEmail: string;

  @ApiProperty({
    type: WithdrawalPayoutDto,
    nullable: true,
    description:
      'Its automatic payout at the payment provider once approved (PAYOUTS_AUTOMATIC): under way, sent, failed, or left to an operator (status manual, with the reason); ' +
      'null while pending and where automation is off (an operator sends every withdrawal)',
  })
  payout: WithdrawalPayoutDto | null;
}

export class AdminWithdrawalResponseDto {
  @ApiProperty({ type: AdminWithdrawalDto })
  withdrawal: AdminWithdrawalDto;
}

export class AdminWithdrawalPageDto {
  @ApiProperty({ type: [AdminWithdrawalDto] })
  items: AdminWithdrawalDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}

export class AdminWithdrawalQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: WITHDRAWAL_STATUSES, enumName: 'WithdrawalStatus' })
  @IsOptional()
  @IsIn(WITHDRAWAL_STATUSES, { message: chooseOne(WITHDRAWAL_STATUSES) })
  status?: WithdrawalStatus;
}

export class CompleteWithdrawalDto {
  @ApiProperty({
    example: '0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060',
    pattern: '^(0x)?[0-9A-Za-z]{16,126}$',
    maxLength: 128,
    description: 'Transaction hash of the payout: 16 to 126 letters and digits, optionally after 0x',
  })
  @IsString(TX_HASH)
  @Matches(/^(0x)?[0-9A-Za-z]{16,126}$/, TX_HASH)
  txHash: string;
}

export class RejectWithdrawalDto {
  @ApiProperty({ example: 'Address on a sanctions list', minLength: 3, maxLength: 500, description: 'Told to the user: 3 to 500 characters' })
  @IsString(REASON_500)
  @Length(3, 500, REASON_500)
  reason: string;
}

export class WithdrawalNetworkRuleDto {
  @ApiProperty({ enum: WITHDRAWAL_NETWORKS, enumName: 'WithdrawalNetwork', example: 'bitcoin', description: 'Value for the `network` field of a withdrawal' })
  name: string;

  @ApiProperty({ example: 'a bech32 (bc1…) or base58check (1…, 3…) Bitcoin address', description: 'What a valid address on this network looks like' })
  addressHint: string;

  @ApiProperty({ description: 'Used when a withdrawal names no network' })
  isDefault: boolean;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'https://mempool.space/tx/{hash}',
    description:
      'The block explorer’s transaction page on this network, `{hash}` where the transaction hash goes (BLOCK_EXPLORER_TX_URLS overrides it); ' +
      'null when the network has no explorer. Withdrawals carry the finished link as `explorerUrl`',
  })
  explorerTxUrl: string | null;
}

export class WithdrawalAssetRuleDto {
  @ApiProperty({ example: 'BTC' })
  asset: string;

  @ApiProperty({ example: '0.0005', description: 'Smallest amount the address may receive, in the asset (decimal string)' })
  minimum: string;

  @ApiProperty({ example: '0.0001', description: 'Network fee held on top of the amount, in the asset (decimal string)' })
  fee: string;

  @ApiProperty({ example: 8, description: 'Most digits after the point an amount may have' })
  decimals: number;

  @ApiProperty({ type: [WithdrawalNetworkRuleDto], description: 'Networks the asset can leave on; the first is the default' })
  networks: WithdrawalNetworkRuleDto[];
}

export class WithdrawalRulesDto {
  @ApiProperty({ type: [WithdrawalAssetRuleDto], description: 'Withdrawable assets' })
  assets: WithdrawalAssetRuleDto[];

  @ApiProperty({ example: '50000', description: 'USD a user may withdraw per rolling 24 hours (pending, approved and completed count)' })
  dailyLimitUsd: string;

  @ApiProperty({ example: '1250.00', description: 'USD of that limit still free for this user right now' })
  dailyRemainingUsd: string;

  @ApiProperty({ example: '5000', description: 'At or above this USD value a withdrawal needs two different admins to approve it' })
  dualApprovalUsd: string;
}

export class WithdrawalRulesResponseDto {
  @ApiProperty({ type: WithdrawalRulesDto })
  rules: WithdrawalRulesDto;
}
