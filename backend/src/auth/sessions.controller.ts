import { Controller, Delete, Get, Param } from '@nestjs/common';
import { UuidPipe } from '../common/pipes/id.pipes';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, type AuthUser, CurrentUser } from '../common/auth/auth-user';
import { ApiErrors } from '../common/dto/error-response.dto';
import { MessageResponseDto, SessionListResponseDto } from './dto/auth-responses.dto';
import { SessionsService } from './sessions.service';

@ApiTags('auth')
@Controller('api/auth/sessions')
@Authenticated()
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Get()
  @ApiOkResponse({ type: SessionListResponseDto })
  @ApiErrors(403, 429)
  listSessions(@CurrentUser() user: AuthUser): Promise<SessionListResponseDto> {
    return this.sessions.list(user.id, user.sessionId);
  }

  @Delete(':id')
  @ApiOkResponse({ type: MessageResponseDto })
  @ApiErrors(400, 403, 404, 429)
  async revokeSession(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string): Promise<MessageResponseDto> {
    await this.sessions.revokeOwn(user.id, id);
    return { message: 'Session revoked' };
  }
}
