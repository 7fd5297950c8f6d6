import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsDecimalString } from '../../common/decorators/is-decimal-string.decorator';
import { IsTicker } from '../../common/decorators/is-ticker.decorator';
import { chooseOne } from '../../common/decorators/validation-messages';
import { PageQueryDto } from '../../common/dto/pagination.dto';

export const ORDER_SIDES = ['buy', 'sell'] as const;
export const ORDER_TYPES = ['market', 'limit', 'stop'] as const;
export const ORDER_STATUSES = ['open', 'filled', 'cancelled', 'rejected'] as const;
export const ORDER_SIZINGS = ['quantity', 'quoteAmount'] as const;
export type OrderSide = (typeof ORDER_SIDES)[number];
export type OrderType = (typeof ORDER_TYPES)[number];
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export type OrderSizing = (typeof ORDER_SIZINGS)[number];

/** The largest quantity, amount or price an order takes (a quantity converted from a USD amount too). */
export const MAX_AMOUNT = '100000000000000';

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
    description: 'Amount of the asset (give this or quoteAmount, not both)',
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
      'An amount in USD instead of a quantity (give one of the two). A buy: the total you pay, fee included ("buy $100 of BTC" spends at most 100.00): ' +
      'the notional is the largest amount (8 decimals) whose notional + fee fits in it. Market buy: quantity = notional ÷ live price rounded down (18 decimals); ' +
      "less than 0.00000002 USD may stay unspent. Limit buy: quantity = notional ÷ limit price rounded down to the asset's decimals (8), held as its notional and fee at the limit price (never more than the amount). " +
      'Stop buy: the whole amount is held; at the tick that crosses the stop it buys as a market buy of that amount at that tick. ' +
      'A sell: the USD value of the asset sold, the fee deducted from it. Market sell: quantity = quoteAmount ÷ live price rounded up (18 decimals); ' +
      "limit and stop sells: quantity = quoteAmount ÷ their limit or stop price rounded down to the asset's decimals, which is held.",
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
  @ApiProperty({
    enum: ORDER_SIZINGS,
    enumName: 'OrderSizing',
    description:
      'What sets the quantity. quoteAmount: a stop buy placed by USD amount: it holds that amount (reservedAmount) and its quantity is set when it fills; until then quantity is the estimate at the stop price. ' +
      'quantity: every other order (a limit order or a stop sell placed by USD amount was converted to a quantity when placed)',
  })
  sizedBy: OrderSizing;
  @ApiProperty({
    type: 'string',
    nullable: true,
    example: 'USD',
    description: 'The asset an open limit or stop order holds (USD for a buy, the asset for a sell); null once closed and for market orders',
  })
  reservedAsset: string | null;
  @ApiProperty({
    type: 'string',
    nullable: true,
    example: '1001.00',
    description:
      'What an open limit or stop order holds (a buy: its notional and fee at its price, or the amount of a stop buy by USD amount; a sell: its quantity); null once closed and for market orders',
  })
  reservedAmount: string | null;
}

export class OrderResponseDto {
  @ApiProperty({ type: OrderDto }) order: OrderDto;
}

export class OrderTermsQueryDto {
  @IsTicker({ description: 'Ticker of a listed asset' })
  symbol: string;
}

/** What the order ticket needs to show what an order will cost before it is sent. */
export class OrderTermsDto {
  @ApiProperty({ example: 'BTC' }) symbol: string;
  @ApiProperty({ example: '0.001', description: 'Fee on the notional of every trade (0.001 = 0.1 %), rounded up at 8 decimals' }) feeRate: string;
  @ApiProperty({
    type: 'integer',
    example: 8,
    description: 'Decimals of a quantity the server computes from a USD amount for a limit or stop order (rounded down)',
  })
  quantityDecimals: number;
  @ApiProperty({ example: '1.00', description: 'Smallest notional (USD) of an order' }) minNotional: string;
  @ApiProperty({ example: '5000.00', description: 'USD the user can spend now (available, not held by open orders)' }) usdAvailable: string;
  @ApiProperty({ example: '0.01000000', description: 'Of the asset, what the user can sell now (available, not held by open orders)' }) assetAvailable: string;
}

export class OrderTermsResponseDto {
  @ApiProperty({ type: OrderTermsDto }) terms: OrderTermsDto;
}

export class OrderListDto {
  @ApiProperty({ type: [OrderDto] }) items: OrderDto[];
  @ApiProperty({ type: 'string', nullable: true }) nextCursor: string | null;
}
