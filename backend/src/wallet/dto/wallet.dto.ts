import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { IsUuidKey } from '../../common/decorators/is-uuid-key.decorator';
import { IsDecimalString } from '../../common/decorators/is-decimal-string.decorator';
import { IsTicker } from '../../common/decorators/is-ticker.decorator';
import { chooseOne } from '../../common/decorators/validation-messages';
import { PageQueryDto } from '../../common/dto/pagination.dto';

const REASON_300 = { message: 'Enter a reason of 3 to 300 characters' };

export class WalletBalanceDto {
  @ApiProperty({ example: 'USD' }) asset: string;
  @ApiProperty({ example: '100.00' }) available: string;
  @ApiProperty({ example: '0.00' }) locked: string;
  @ApiProperty({ example: '100.00' }) total: string;
  @ApiProperty({ type: 'string', nullable: true, example: '100.00', description: 'Value at the latest quote; null when the asset has no quote' })
  usdValue: string | null;
}

export class WalletDto {
  @ApiProperty({ type: [WalletBalanceDto] }) balances: WalletBalanceDto[];
  @ApiProperty({ example: '100.00' }) totalUsd: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) updatedAt: string | null;
}

export class WalletResponseDto {
  @ApiProperty({ type: WalletDto }) wallet: WalletDto;
}

export class LedgerAdjustmentDto {
  @ApiProperty({ format: 'uuid', description: 'The account to credit or debit' })
  @IsUuidKey('userId', 'Choose the user to adjust (a user id)')
  userId: string;

  @IsTicker({ description: 'USD or the ticker of a listed asset' })
  asset: string;

  @IsDecimalString({
    signed: true,
    maxScale: 18,
    min: '-100000000000000',
    max: '100000000000000',
    label: 'an amount',
    description: 'Signed: positive credits the user, negative debits; not zero',
    example: '100.00',
  })
  amount: string;

  @ApiProperty({ example: 'Test funding', minLength: 3, maxLength: 300, description: 'Why: 3 to 300 characters' })
  @IsString(REASON_300)
  @Length(3, 300, REASON_300)
  reason: string;
}

export const LEDGER_ADJUSTMENT_STATUSES = ['pending', 'posted', 'rejected'] as const;
export type LedgerAdjustmentStatus = (typeof LEDGER_ADJUSTMENT_STATUSES)[number];

/** An adjustment as admins see it: who asked, who approved or rejected, and where it stands. */
export class AdminLedgerAdjustmentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid', description: 'The account adjusted' }) userId: string;
  @ApiProperty({ type: 'string', nullable: true }) userEmail: string | null;
  @ApiProperty({ example: 'USD' }) asset: string;
  @ApiProperty({ example: '100.00', description: 'Signed: positive credits the user, negative debits' }) amount: string;
  @ApiProperty({ example: '100.00', description: 'Absolute USD value at the quote when it was requested (counted towards the requester’s 24-hour total)' })
  usdValue: string;
  @ApiProperty({ example: 'Goodwill credit, ticket 4711' }) reason: string;
  @ApiProperty({
    enum: LEDGER_ADJUSTMENT_STATUSES,
    enumName: 'LedgerAdjustmentStatus',
    description: 'posted: in the ledger; pending: waits for a second admin; rejected: never posted',
  })
  status: LedgerAdjustmentStatus;
  @ApiProperty({ format: 'uuid' }) requestedBy: string;
  @ApiProperty({ type: 'string', nullable: true }) requestedByEmail: string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, description: 'The second admin who approved it (null when posted by the requester alone)' })
  approvedBy: string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) rejectedBy: string | null;
  @ApiProperty({ type: 'string', nullable: true }) rejectReason: string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, description: 'The ledger journal, once posted' }) journalId: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) decidedAt: string | null;
}

export class LedgerAdjustmentResponseDto {
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, description: 'The ledger journal; null while the adjustment waits for a second admin (202)' })
  journalId: string | null;

  @ApiProperty({ type: AdminLedgerAdjustmentDto }) adjustment: AdminLedgerAdjustmentDto;
}

export class AdminLedgerAdjustmentPageDto {
  @ApiProperty({ type: [AdminLedgerAdjustmentDto] }) items: AdminLedgerAdjustmentDto[];
  @ApiProperty({ type: 'string', nullable: true }) nextCursor: string | null;
}

export class AdminLedgerAdjustmentQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: LEDGER_ADJUSTMENT_STATUSES, enumName: 'LedgerAdjustmentStatus' })
  @IsOptional()
  @IsIn(LEDGER_ADJUSTMENT_STATUSES, { message: chooseOne(LEDGER_ADJUSTMENT_STATUSES) })
  status?: LedgerAdjustmentStatus;
}

export class RejectLedgerAdjustmentDto {
  @ApiProperty({ example: 'No support ticket for this credit', minLength: 3, maxLength: 300, description: 'Why: 3 to 300 characters' })
  @IsString(REASON_300)
  @Length(3, 300, REASON_300)
  reason: string;
}
