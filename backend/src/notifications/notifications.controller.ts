import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { UuidPipe } from '../common/pipes/id.pipes';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, type AuthUser, CurrentUser } from '../common/auth/auth-user';
import { ApiErrors } from '../common/dto/error-response.dto';
import { MarkAllReadResponseDto, NotificationDto, NotificationListDto, NotificationListQueryDto } from './dto/notification.dto';
import { NotificationsService } from './notifications.service';

@ApiTags('notifications')
@Controller('api/notifications')
@Authenticated()
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOkResponse({ type: NotificationListDto })
  @ApiErrors(400)
  async listNotifications(@CurrentUser() user: AuthUser, @Query() query: NotificationListQueryDto): Promise<NotificationListDto> {
    return this.notifications.list(user.id, query);
  }

  @Post('read-all')
  @HttpCode(200)
  @ApiOkResponse({ type: MarkAllReadResponseDto })
  async markAllNotificationsRead(@CurrentUser() user: AuthUser): Promise<MarkAllReadResponseDto> {
    return this.notifications.markAllRead(user.id);
  }

  @Post(':id/read')
  @HttpCode(200)
  @ApiOkResponse({ type: NotificationDto })
  @ApiErrors(400, 404)
  async markNotificationRead(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string): Promise<NotificationDto> {
    return this.notifications.markRead(user.id, id);
  }
}
