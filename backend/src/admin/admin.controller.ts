import { Body, Controller, Headers, HttpCode, Post } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UserResponseDto } from '../auth/dto/auth-responses.dto';
import { ApiErrors } from '../common/dto/error-response.dto';
import { AdminSetupService } from './admin-setup.service';
import { SetupFirstAdminDto } from './dto/setup-first-admin.dto';
import { LimitedByOutcomes } from '../common/guards/outcome-budget.guard';

/** The back office. Routes other than first-admin setup require `@Authenticated({ roles: ['admin'] })`. */
@ApiTags('admin')
@Controller('api/admin')
export class AdminController {
  constructor(private readonly setup: AdminSetupService) {}

  @Post('setup-first-admin')
  @HttpCode(200)
  @LimitedByOutcomes('credentials')
  @ApiOperation({ summary: 'Make a verified account the first admin; needs the X-Setup-Token; 409 once an admin exists' })
  @ApiHeader({ name: 'X-Setup-Token', required: true, description: 'ADMIN_SETUP_TOKEN (in development a random one is logged at boot)' })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiErrors(400, 403, 404, 409, 429)
  setupFirstAdmin(@Headers('x-setup-token') setupToken: string | undefined, @Body() dto: SetupFirstAdminDto): Promise<UserResponseDto> {
    return this.setup.setupFirstAdmin(setupToken, dto.email);
  }
}
