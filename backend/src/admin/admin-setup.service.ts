import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { UserResponseDto } from '../auth/dto/auth-responses.dto';
import { toUserDto } from '../auth/mappers';
import { constantTimeEquals } from '../auth/secrets';
import { UserAdministrationService } from '../auth/users/user-administration.service';
import { AuditService } from '../audit/audit.service';
import { forbidden } from '../common/errors/app-error';
import { FailureLimiter } from '../common/guards/failure-limiter';
import { AppConfig } from '../config/config.service';

/** Makes the first admin, once, for whoever holds the setup token. */
@Injectable()
export class AdminSetupService implements OnApplicationBootstrap {
  private readonly logger = new Logger('AdminSetup');

  constructor(
    private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly accounts: UserAdministrationService,
    private readonly failures: FailureLimiter,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { profile, adminSetupTokenGenerated, adminSetupToken } = this.config.values;
    if (profile !== 'development' || !adminSetupTokenGenerated) return;
    if ((await this.accounts.countAdmins()) === 0) {
      this.logger.warn(
        `No admin yet. To make a verified account the first admin: curl -X POST -H 'X-Setup-Token: ${adminSetupToken}' ` +
          `-H 'Content-Type: application/json' -d '{"email":"you@example.com"}' ${this.config.values.appUrl}/api/admin/setup-first-admin ` +
          `(this setup token is random per boot; set ADMIN_SETUP_TOKEN to fix it)`,
      );
    }
  }

  async setupFirstAdmin(setupToken: string | undefined, email: string): Promise<UserResponseDto> {
    if (typeof setupToken !== 'string' || !constantTimeEquals(setupToken, this.config.values.adminSetupToken)) {
      await this.audit.record({ action: 'admin.setup_first_admin_refused', details: { reason: setupToken ? 'wrong_token' : 'no_token' } });
      await this.failures.countForClient('credentials');
      throw forbidden('FORBIDDEN', 'A valid X-Setup-Token header is required');
    }
    const user = await this.accounts.makeFirstAdmin(email);
    return { user: toUserDto(user) };
  }
}
