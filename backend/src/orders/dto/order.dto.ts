import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsDecimalString } from '../../common/decorators/is-decimal-string.decorator';
import { IsTicker } from '../../common/decorators/is-ticker.decorator';
import { chooseOne } from '../../common/decorators/validation-messages';
import { PageQueryDto } from '../../common/dto/pagination.dto';

export const ORDER_SIDES = ['buy', 'sell'] as const;
export const ORDER_TYPES = ['market', 'limit', 'stop'] as const;
export const ORDER_STATUSES = ['open', 'filled', 'cancelled', 'rejected'] as const;
export type OrderSide = (typeof ORDER_SIDES)[number];
export type OrderType = (typeof ORDER_TYPES)[number];
export type OrderStatus = (typeof ORDER_STATUSES)[number];

const MAX_AMOUNT = '100000000000000';

export class CreateOrderDto {
  @IsTicker({ description: 'Ticker of a listed asset' })
  symbol: string;

  @ApiProperty({ enum: ORDER_SIDES, enumName: 'OrderSide', description: 'buy or sell' })
  @IsIn(ORDER_SIDES, { message: chooseOne(ORDER_SIDES) })
  side: OrderSide;

  @ApiProperty({ enum: ORDER_TYPES, enumName: 'OrderType', description: 'market, limit or stop' })
  @IsIn(ORDER_TYPES, { message: chooseOne(ORDER_TYPES) })
  type: OrderType;

  @IsDecimalString({
    optional: true,
    min: '0',
    exclusiveMin: true,
    max: MAX_AMOUNT,
    maxScale: 18,
    label: 'a quantity',
    description: 'Amount of the asset (market orders give this or quoteAmount; limit and stop orders need it)',
  })
  quantity?: string;

  @IsDecimalString({
    optional: true,
    min: '0',
    exclusiveMin: true,
    max: MAX_AMOUNT,
    maxScale: 8,
    label: 'an amount in USD',
    example: '100',
    description:
      'Market orders only, in USD. Buy: the total you pay, fee included ("buy $100 of BTC" spends at most 100.00): the notional is the largest amount (8 decimals) whose notional + fee fits in it, the quantity is notional ÷ price rounded down; less than 0.00000002 USD of it may stay unspent. ' +
      'Sell: the USD value of the asset sold (quantity = quoteAmount ÷ price rounded up); the fee is deducted from it, so you receive quoteAmount − fee.',
  })
  quoteAmount?: string;

  @IsDecimalString({
    optional: true,
    min: '0',
    exclusiveMin: true,
    max: MAX_AMOUNT,
    maxScale: 18,
    label: 'a limit price',
    example: '70000',
    description: 'Limit orders: a buy fills at or below, a sell at or above this USD price',
  })
  limitPrice?: string;

  @IsDecimalString({
    optional: true,
    min: '0',
    exclusiveMin: true,
    max: MAX_AMOUNT,
    maxScale: 18,
    label: 'a stop price',
    example: '70000',
    description: 'Stop orders: a buy triggers at or above, a sell at or below this USD price',
  })
  stopPrice?: string;
}

export class ListOrdersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ORDER_STATUSES, enumName: 'OrderStatus' })
  @IsOptional()
  @IsIn(ORDER_STATUSES, { message: chooseOne(ORDER_STATUSES) })
  status?: OrderStatus;

  @IsTicker({ optional: true, description: 'Only orders in this asset' })
  symbol?: string;

  @ApiPropertyOptional({ enum: ORDER_SIDES, enumName: 'OrderSide' })
  @IsOptional()
  @IsIn(ORDER_SIDES, { message: chooseOne(ORDER_SIDES) })
  side?: OrderSide;
}

export class OrderDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'BTC' }) symbol: string;
  @ApiProperty({ enum: ORDER_SIDES, enumName: 'OrderSide' }) side: OrderSide;
  @ApiProperty({ enum: ORDER_TYPES, enumName: 'OrderType' }) type: OrderType;
  @ApiProperty({ enum: ORDER_STATUSES, enumName: 'OrderStatus' }) status: OrderStatus;
  @ApiProperty({ example: '0.01000000', description: 'Asset quantity (decimal string)' }) quantity: string;
  @ApiProperty({ type: 'string', nullable: true, example: '500.00', description: 'USD notional (filled orders: what was traded, before the fee)' })
  quoteAmount: string | null;
  @ApiProperty({ type: 'string', nullable: true }) limitPrice: string | null;
  @ApiProperty({ type: 'string', nullable: true }) stopPrice: string | null;
  @ApiProperty({ type: 'string', nullable: true, description: 'Price the order filled at' }) filledPrice: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: '0.50' }) fee: string | null;
  @ApiProperty({ example: 'USD' }) feeAsset: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) filledAt: string | null;
}

export class OrderResponseDto {
  @ApiProperty({ type: OrderDto }) order: OrderDto;
}

export class OrderListDto {
  @ApiProperty({ type: [OrderDto] }) items: OrderDto[];
  @ApiProperty({ type: 'string', nullable: true }) nextCursor: string | null;
}
