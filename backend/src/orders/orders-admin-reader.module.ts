import { Module } from '@nestjs/common';
import { OrdersAdminReaderRepository } from './orders-admin-reader.repository';
import { OrdersAdminReader } from './orders-admin.reader';

/** Orders as the back office may read them (see OrdersAdminReader); imports nothing but the database. */
@Module({
  providers: [OrdersAdminReaderRepository, OrdersAdminReader],
  exports: [OrdersAdminReader],
})
export class OrdersAdminReaderModule {}
