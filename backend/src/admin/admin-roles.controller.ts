import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res, UseInterceptors } from '@nestjs/common';
import { ApiAcceptedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RequiresStepUp } from '../auth/step-up/requires-step-up.decorator';
import { Authenticated, type AuthUser, CurrentUser } from '../common/auth/auth-user';
import { ApiErrors } from '../common/dto/error-response.dto';
import { LimitedByOutcomes } from '../common/guards/outcome-budget.guard';
import { UuidPipe } from '../common/pipes/id.pipes';
import { AdminReadAuditInterceptor } from './admin-read-audit.interceptor';
import { AdminUsersService } from './admin-users.service';
import { AdminRoleChangePageDto, AdminRoleChangeQueryDto, AdminRoleChangeResponseDto, RequestRoleChangeDto } from './dto/admin-roles.dto';

/** Granting and revoking the admin role, under dual control (AdminUsersService, over auth's AdminRolesService). Admins only, after a step-up. */
@ApiTags('admin')
@Controller('api/admin')
@Authenticated({ roles: ['admin'] })
@UseInterceptors(AdminReadAuditInterceptor)
export class AdminRolesController {
  constructor(private readonly users: AdminUsersService) {}

  @Post('users/:id/role')
  @HttpCode(202)
  @RequiresStepUp()
  @LimitedByOutcomes('credentials')
  @ApiOperation({
    summary: 'Ask to grant (role admin) or revoke (role user) the admin role; a second admin approves it',
    description:
      'Needs a step-up (401 STEP_UP_REQUIRED). Held pending (202) until an admin other than the one asking and the account concerned ' +
      'approves it at POST /api/admin/role-changes/:id/approve. Where no such admin exists (a single admin; or two, one to be revoked), ' +
      'the server’s setup token in X-Setup-Token makes it at once (200); without it 403 SETUP_TOKEN_REQUIRED. Granting needs an account with ' +
      'a verified address and two-factor authentication on (403 EMAIL_NOT_VERIFIED / TWO_FACTOR_NOT_ENABLED), not suspended or frozen (409); ' +
      '409 LAST_ADMIN for the last admin, INVALID_STATE for one’s own role or a role the account already has, ALREADY_EXISTS while a change ' +
      'of the account is pending. Audited.',
  })
  @ApiHeader({ name: 'X-Setup-Token', required: false, description: 'ADMIN_SETUP_TOKEN: only when no other admin can approve' })
  @ApiAcceptedResponse({ type: AdminRoleChangeResponseDto, description: 'Pending: a second admin must approve it' })
  @ApiOkResponse({ type: AdminRoleChangeResponseDto, description: 'Made at once with the setup token' })
  @ApiErrors(400, 403, 404, 409)
  async requestRoleChange(
    @CurrentUser() admin: AuthUser,
    @Param('id', UuidPipe) id: string,
    @Body() dto: RequestRoleChangeDto,
    @Headers('x-setup-token') setupToken: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AdminRoleChangeResponseDto> {
    const { status, body } = await this.users.requestRole(admin, id, dto.role, setupToken);
    res.status(status);
    return body;
  }

  @Get('role-changes')
  @ApiOperation({ summary: 'Role changes, newest first (pending ones are waiting for a second admin)' })
  @ApiOkResponse({ type: AdminRoleChangePageDto })
  @ApiErrors(400)
  async listRoleChanges(@Query() query: AdminRoleChangeQueryDto): Promise<AdminRoleChangePageDto> {
    return this.users.listRoleChanges(query);
  }

  @Post('role-changes/:id/approve')
  @HttpCode(200)
  @RequiresStepUp()
  @ApiOperation({
    summary: 'Approve a pending role change: the role changes now',
    description:
      'Needs a step-up. Not by the admin who asked, nor by the account concerned (403); the conditions are checked again (403, 409 LAST_ADMIN); ' +
      '409 INVALID_STATE once decided. Audited.',
  })
  @ApiOkResponse({ type: AdminRoleChangeResponseDto })
  @ApiErrors(400, 403, 404, 409)
  async approveRoleChange(@CurrentUser() admin: AuthUser, @Param('id', UuidPipe) id: string): Promise<AdminRoleChangeResponseDto> {
    return this.users.approveRoleChange(admin, id);
  }

  @Post('role-changes/:id/reject')
  @HttpCode(200)
  @RequiresStepUp()
  @ApiOperation({
    summary: 'Reject (or, for the admin who asked, withdraw) a pending role change',
    description: 'Needs a step-up. Not by the account concerned (403). Audited.',
  })
  @ApiOkResponse({ type: AdminRoleChangeResponseDto })
  @ApiErrors(400, 403, 404, 409)
  async rejectRoleChange(@CurrentUser() admin: AuthUser, @Param('id', UuidPipe) id: string): Promise<AdminRoleChangeResponseDto> {
    return this.users.rejectRoleChange(admin, id);
  }
}
