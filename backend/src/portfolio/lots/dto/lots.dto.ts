import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, Matches } from 'class-validator';
import { chooseOne } from '../../../common/decorators/validation-messages';
import { IsDecimalString } from '../../../common/decorators/is-decimal-string.decorator';
import { IsTicker } from '../../../common/decorators/is-ticker.decorator';
import { COST_BASIS_METHODS, type CostBasisMethod, type LotOrigin } from '../lot-matching';

export const LOT_ORIGINS: readonly LotOrigin[] = ['buy', 'convert', 'deposit', 'adjustment'];
export const LOT_STATUSES = ['open', 'closed'] as const;
export type LotStatus = (typeof LOT_STATUSES)[number];
export const COST_BASIS_SOURCES = ['trade', 'entered', 'unknown'] as const;
export type CostBasisSource = (typeof COST_BASIS_SOURCES)[number];

export class LotsQueryDto {
  @IsTicker({ optional: true, description: 'Only lots of this asset' })
  asset?: string;

  @ApiPropertyOptional({
    enum: LOT_STATUSES,
    enumName: 'LotStatus',
    description: 'open: something is left of it; closed: all of it was disposed of or transferred. Both when left out',
  })
  @IsOptional()
  @IsIn(LOT_STATUSES, { message: chooseOne(LOT_STATUSES) })
  status?: LotStatus;
}

export class LotDto {
  @ApiProperty({ format: 'uuid', description: 'The lot: the id of the ledger journal that opened it' }) id: string;
  @ApiProperty({ example: 'BTC' }) asset: string;
  @ApiProperty({ format: 'date-time' }) acquiredAt: string;
  @ApiProperty({
    enum: LOT_ORIGINS,
    enumName: 'LotOrigin',
    description: "buy: bought with dollars; convert: received in a conversion from another asset; deposit: a deposit in kind; adjustment: an operator's credit",
  })
  origin: LotOrigin;
  @ApiProperty({ example: '0.05000000', description: 'Acquired' }) quantity: string;
  @ApiProperty({ example: '0.02000000', description: 'Not yet disposed of or transferred' }) remaining: string;
  @ApiProperty({ type: 'string', nullable: true, example: '5005.00', description: 'USD cost of the whole lot, fees included; null while unknown' })
  costBasis: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: '2002.00', description: 'The share of the cost basis of what remains; null while unknown' })
  remainingCostBasis: string | null;
  @ApiProperty({
    enum: COST_BASIS_SOURCES,
    enumName: 'CostBasisSource',
    description:
      'trade: from the trade that opened it; entered: by its owner (a deposit in kind); unknown: a deposit in kind or credit waiting for its owner to enter it',
  })
  costBasisSource: CostBasisSource;
  @ApiProperty({ description: 'Whether its owner can enter or change its cost basis (deposits in kind and credits)' }) costBasisEditable: boolean;
  @ApiProperty({ enum: LOT_STATUSES, enumName: 'LotStatus' }) status: LotStatus;
}

export class LotListDto {
  @ApiProperty({ type: [LotDto], description: 'Oldest first' }) items: LotDto[];
  @ApiProperty({ description: 'Lots (of all assets, open or closed) whose cost basis is still unknown' }) unknownCostBasis: number;
}

export class LotResponseDto {
  @ApiProperty({ type: LotDto }) lot: LotDto;
}

export class SetLotCostBasisDto {
  @IsDecimalString({
    min: '0',
    max: '100000000000000',
    maxScale: 2,
    label: 'a cost in dollars',
    example: '2500.00',
    description: 'What the whole lot cost you in USD, fees included (0 for a gift you paid nothing for)',
  })
  costBasis: string;
}

export class CostBasisMethodChangeDto {
  @ApiProperty({ enum: COST_BASIS_METHODS, enumName: 'CostBasisMethod' }) method: CostBasisMethod;
  @ApiProperty({ format: 'date-time', description: 'In force for disposals from this instant (until the next change)' }) effectiveFrom: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class CostBasisMethodDto {
  @ApiProperty({ enum: COST_BASIS_METHODS, enumName: 'CostBasisMethod', description: 'In force now (FIFO until changed)' }) method: CostBasisMethod;
  @ApiProperty({ type: CostBasisMethodChangeDto, nullable: true, description: 'A change not yet in force, if any' }) pending: CostBasisMethodChangeDto | null;
  @ApiProperty({ type: [CostBasisMethodChangeDto], description: 'Every change, oldest first (FIFO before the first)' }) history: CostBasisMethodChangeDto[];
}

export class CostBasisMethodResponseDto {
  @ApiProperty({ type: CostBasisMethodDto }) costBasisMethod: CostBasisMethodDto;
}

export class SetCostBasisMethodDto {
  @ApiProperty({
    enum: COST_BASIS_METHODS,
    enumName: 'CostBasisMethod',
    description: 'fifo: first in, first out; hifo: the highest cost per unit first; lifo: last in, first out',
  })
  @IsIn(COST_BASIS_METHODS, { message: chooseOne(COST_BASIS_METHODS) })
  method: CostBasisMethod;

  @ApiPropertyOptional({
    example: '2027-01-01',
    pattern: '^\\d{4}-\\d{2}-\\d{2}$',
    description:
      'The calendar day (UTC) from which disposals use it: today (then from now: disposals already made keep their method) or a later day, at most a year ahead. Today when left out',
  })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'Enter a day like 2027-01-01' })
  effectiveFrom?: string;
}

export class SetOwnWalletDto {
  @ApiProperty({ description: 'true: it went to a wallet of yours (a transfer: no gain or loss); false: it was a disposal at market value' })
  @IsBoolean({ message: 'Choose true (to your own wallet) or false (to someone else)' })
  ownWallet: boolean;
}

export class OwnWalletResponseDto {
  @ApiProperty({ format: 'uuid' }) withdrawalId: string;
  @ApiProperty() ownWallet: boolean;
}
