import { Body, Controller, Get, Param, Patch, Query, UseInterceptors } from '@nestjs/common';
import { UuidPipe } from '../common/pipes/id.pipes';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, type AuthUser, CurrentUser } from '../common/auth/auth-user';
import { ApiErrors } from '../common/dto/error-response.dto';
import { AdminAuditLogsService } from './admin-audit-logs.service';
import { AdminReadAuditInterceptor } from './admin-read-audit.interceptor';
import { AdminStatsService } from './admin-stats.service';
import { AdminTradesService } from './admin-trades.service';
import { AdminUsersService } from './admin-users.service';
import {
  AdminStatsDto,
  AdminTradeListDto,
  AdminTradeQueryDto,
  AdminUserDto,
  AdminUserListDto,
  AdminUserListQueryDto,
  AuditLogListDto,
  AuditLogQueryDto,
  UpdateUserByAdminDto,
} from './dto/admin-back-office.dto';

/** The back office: admins only (401 without a token, 403 for any other role); every read and change audited. */
@ApiTags('admin')
@Controller('api/admin')
@Authenticated({ roles: ['admin'] })
@UseInterceptors(AdminReadAuditInterceptor)
export class AdminBackOfficeController {
  constructor(
    private readonly statsService: AdminStatsService,
    private readonly users: AdminUsersService,
    private readonly auditLogs: AdminAuditLogsService,
    private readonly trades: AdminTradesService,
  ) {}

  @Get('stats')
  @ApiOkResponse({ type: AdminStatsDto })
  async getAdminStats(): Promise<AdminStatsDto> {
    return this.statsService.stats();
  }

  @Get('users')
  @ApiOkResponse({ type: AdminUserListDto })
  @ApiErrors(400)
  async listUsersForAdmin(@Query() query: AdminUserListQueryDto): Promise<AdminUserListDto> {
    return this.users.list(query);
  }

  @Patch('users/:id')
  @ApiOkResponse({ type: AdminUserDto })
  @ApiErrors(400, 404, 409)
  async updateUserByAdmin(@CurrentUser() admin: AuthUser, @Param('id', UuidPipe) id: string, @Body() body: UpdateUserByAdminDto): Promise<AdminUserDto> {
    return this.users.update(admin, id, body);
  }

  @Get('trades')
  @ApiOkResponse({ type: AdminTradeListDto })
  @ApiErrors(400)
  async listTradesForAdmin(@Query() query: AdminTradeQueryDto): Promise<AdminTradeListDto> {
    return this.trades.list(query);
  }

  @Get('audit-logs')
  @ApiOkResponse({ type: AuditLogListDto })
  @ApiErrors(400)
  async listAuditLogs(@Query() query: AuditLogQueryDto): Promise<AuditLogListDto> {
    return this.auditLogs.list(query);
  }
}
