import { ApiProperty } from '@nestjs/swagger';
import { IsString, IsUUID, Length, Matches } from 'class-validator';
import { Transform } from 'class-transformer';
import { IsDecimalString } from '../../common/decorators/is-decimal-string.decorator';

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
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  userId: string;

  @ApiProperty({ example: 'USD' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value))
  @IsString()
  @Matches(/^[A-Z0-9]{1,16}$/, { message: 'asset must be 1-16 letters or digits' })
  asset: string;

  @IsDecimalString({ signed: true, maxScale: 18, min: '-100000000000000', max: '100000000000000', description: 'Signed: positive credits the user, negative debits; not zero', example: '100.00' })
  amount: string;

  @ApiProperty({ example: 'Test funding' })
  @IsString()
  @Length(3, 300)
  reason: string;
}

export class LedgerAdjustmentResponseDto {
  @ApiProperty({ format: 'uuid' }) journalId: string;
}
