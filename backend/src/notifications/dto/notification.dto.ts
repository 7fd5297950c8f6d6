import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { PageQueryDto } from '../../common/dto/pagination.dto';
import { USER_EVENT_TYPES, type UserEventType } from '../user-events';

export class NotificationDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: USER_EVENT_TYPES, enumName: 'UserEventType', description: 'What happened' })
  type: UserEventType;

  @ApiProperty({ example: 'BTC is above $70,000.00' })
  title: string;

  @ApiProperty({ example: 'Your alert “BTC above $70,000.00” fired: BTC traded at $70,012.34 on Dec 3, 2026, 10:05 UTC.' })
  body: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Ids and figures of what the notification is about' })
  data: Record<string, unknown>;

  @ApiProperty()
  read: boolean;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  readAt: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export class NotificationListDto {
  @ApiProperty({ type: [NotificationDto] })
  items: NotificationDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;

  @ApiProperty({ description: 'How many of the user’s notifications are unread' })
  unreadCount: number;
}

export class NotificationListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'true: only unread; false: only read; absent: all' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'Choose true (only unread) or false (only read)' })
  unread?: boolean;
}

export class MarkAllReadResponseDto {
  @ApiProperty({ description: 'How many notifications were marked read' })
  updated: number;
}
