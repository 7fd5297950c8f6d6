import { Module } from '@nestjs/common';
import { UsersReaderRepository } from './users-reader.repository';
import { UsersReader } from './users.reader';

/** The users table as other domains may read it (see UsersReader); imports nothing but the database. */
@Module({
  providers: [UsersReaderRepository, UsersReader],
  exports: [UsersReader],
})
export class UsersReaderModule {}
