import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { UuidPipe } from '../common/pipes/id.pipes';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, type AuthUser, CurrentUser } from '../common/auth/auth-user';
import { ApiKeyScope } from '../auth/api-keys/api-key-scope.decorator';
import { ApiErrors } from '../common/dto/error-response.dto';
import { CreateOrderDto, ListOrdersQueryDto, OrderListDto, OrderResponseDto, OrderTermsQueryDto, OrderTermsResponseDto } from './dto/order.dto';
import { OrdersService } from './orders.service';
import { ApiIdempotencyKey, IdempotencyKey } from '../common/decorators/idempotency-key.decorator';

@ApiTags('orders')
@Controller('api/orders')
@Authenticated()
@ApiKeyScope('read')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Post()
  @ApiKeyScope('trade')
  @HttpCode(201)
  @ApiIdempotencyKey('A replay returns the first response; the same key with another body is 409')
  @ApiCreatedResponse({ type: OrderResponseDto })
  @ApiErrors(400, 409, 422, 429)
  createOrder(@CurrentUser() user: AuthUser, @Body() dto: CreateOrderDto, @IdempotencyKey() idempotencyKey?: string): Promise<OrderResponseDto> {
    return this.orders.createOrder(user, dto, idempotencyKey);
  }

  @Get()
  @ApiOkResponse({ type: OrderListDto })
  @ApiErrors(400)
  listOrders(@CurrentUser() user: AuthUser, @Query() query: ListOrdersQueryDto): Promise<OrderListDto> {
    return this.orders.listOrders(user, query);
  }

  /** Before `:id`: what the order ticket needs to price an order of one asset before it is sent. */
  @Get('terms')
  @ApiOkResponse({ type: OrderTermsResponseDto })
  @ApiErrors(400, 422, 429)
  getOrderTerms(@CurrentUser() user: AuthUser, @Query() query: OrderTermsQueryDto): Promise<OrderTermsResponseDto> {
    return this.orders.orderTerms(user, query.symbol);
  }

  @Get(':id')
  @ApiOkResponse({ type: OrderResponseDto })
  @ApiErrors(400, 404)
  getOrder(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string): Promise<OrderResponseDto> {
    return this.orders.getOrder(user, id);
  }

  @Delete(':id')
  @ApiKeyScope('trade')
  @ApiOkResponse({ type: OrderResponseDto })
  @ApiErrors(400, 404, 409)
  cancelOrder(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string): Promise<OrderResponseDto> {
    return this.orders.cancelOrder(user, id);
  }
}
