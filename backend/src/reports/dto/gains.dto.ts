import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { chooseOne } from '../../common/decorators/validation-messages';
import { COST_BASIS_METHODS, type CostBasisMethod, type HoldingTerm } from '../../portfolio/lots/lot-matching';
import { GAINS_CSV_LAYOUTS, type GainsCsvLayout } from '../gains-report';

/** The first tax year a report is offered for. */
export const FIRST_YEAR = 2009;
const YEAR = { message: 'Enter a year like 2026 (2009 or later)' };

export const DISPOSAL_KINDS = ['sale', 'convert', 'withdrawal'] as const;
export type DisposalKind = (typeof DISPOSAL_KINDS)[number];
export const HOLDING_TERMS: readonly HoldingTerm[] = ['short', 'long'];

export class GainsQueryDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: FIRST_YEAR,
    maximum: 9999,
    example: 2026,
    description: 'The tax year (UTC calendar year); this year when left out',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt(YEAR)
  @Min(FIRST_YEAR, YEAR)
  @Max(9999, YEAR)
  year?: number;
}

export class GainsCsvQueryDto extends GainsQueryDto {
  @ApiPropertyOptional({
    enum: GAINS_CSV_LAYOUTS,
    enumName: 'GainsCsvLayout',
    default: 'cryptovault',
    description:
      'cryptovault: the disposals and totals (API.md "Realised gains"); koinly: Koinly\'s universal import template; cointracker: CoinTracker\'s import template',
  })
  @IsOptional()
  @IsIn(GAINS_CSV_LAYOUTS, { message: chooseOne(GAINS_CSV_LAYOUTS) })
  layout?: GainsCsvLayout;
}

export class DisposalDto {
  @ApiProperty({ format: 'uuid', description: 'The ledger journal of the disposal (a disposal over several lots is one row per lot)' }) journalId: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, description: 'The lot it was taken from' }) lotId: string | null;
  @ApiProperty({ example: 'BTC' }) asset: string;
  @ApiProperty({ example: '0.01000000' }) quantity: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) acquiredAt: string | null;
  @ApiProperty({ format: 'date-time' }) disposedAt: string;
  @ApiProperty({
    enum: DISPOSAL_KINDS,
    enumName: 'DisposalKind',
    description: 'sale: for dollars; convert: for another asset; withdrawal: sent to someone else (at market value)',
  })
  kind: DisposalKind;
  @ApiProperty({ enum: COST_BASIS_METHODS, enumName: 'CostBasisMethod', description: 'The method in force when it was disposed of' }) method: CostBasisMethod;
  @ApiProperty({ type: 'string', nullable: true, example: '1199.00', description: 'USD received, after the fee; null when unknown' }) proceeds: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: '1001.00', description: 'USD cost of the lot part, fees included; null while unknown' }) costBasis:
    string | null;
  @ApiProperty({ type: 'string', nullable: true, example: '1.20', description: 'USD value of the fee, already deducted from proceeds' }) fee: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: '198.00', description: 'proceeds − costBasis; null when either is unknown (not in the totals)' })
  gain: string | null;
  @ApiProperty({ enum: HOLDING_TERMS, enumName: 'HoldingTerm', nullable: true, description: 'long: held more than one year' }) term: HoldingTerm | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, description: 'The withdrawal, for a withdrawal' }) withdrawalId: string | null;
}

export class GainTotalsDto {
  @ApiProperty({ example: '1199.00' }) proceeds: string;
  @ApiProperty({ example: '1001.00' }) costBasis: string;
  @ApiProperty({ example: '1.20' }) fees: string;
  @ApiProperty({ example: '198.00' }) gain: string;
  @ApiProperty({ example: '198.00' }) shortTermGain: string;
  @ApiProperty({ example: '0.00' }) longTermGain: string;
  @ApiProperty({ description: 'Rows counted' }) disposals: number;
  @ApiProperty({ description: 'Rows left out because their cost basis (or proceeds) is unknown: enter the cost of your deposits in kind' }) unknown: number;
}

export class YearWithdrawalDto {
  @ApiProperty({ format: 'uuid' }) withdrawalId: string;
  @ApiProperty({ example: 'BTC' }) asset: string;
  @ApiProperty({ example: '0.01000000', description: 'What left the holdings, network fee included' }) quantity: string;
  @ApiProperty({ format: 'date-time' }) sentAt: string;
  @ApiProperty({ description: 'Marked as to your own wallet (a transfer, not a disposal)' }) ownWallet: boolean;
}

export class GainsReportDto {
  @ApiProperty({ example: 2026 }) year: number;
  @ApiProperty({ format: 'date-time', description: 'Start of the tax year (1 January, UTC)' }) from: string;
  @ApiProperty({ format: 'date-time', description: 'End of the tax year (exclusive)' }) to: string;
  @ApiProperty({ enum: COST_BASIS_METHODS, enumName: 'CostBasisMethod', description: 'The method in force now' }) method: CostBasisMethod;
  @ApiProperty({ type: [DisposalDto], description: 'Oldest first' }) disposals: DisposalDto[];
  @ApiProperty({ type: GainTotalsDto }) totals: GainTotalsDto;
  @ApiProperty({ type: [YearWithdrawalDto], description: 'Crypto withdrawals sent in the year, to mark those to your own wallet' })
  withdrawals: YearWithdrawalDto[];
  @ApiProperty({ description: 'Lots of any year whose cost basis is still unknown' }) unknownCostBasisLots: number;
}

export class GainsReportResponseDto {
  @ApiProperty({ type: GainsReportDto }) report: GainsReportDto;
}
