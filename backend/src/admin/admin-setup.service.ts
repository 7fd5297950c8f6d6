import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { firstAdminCommand } from '../boot-banner';
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
  constructor(
    private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly accounts: UserAdministrationService,
    private readonly failures: FailureLimiter,
  ) {}

  /** Whether the first admin is still to be made with this start's random setup token (development only). */
  private awaitingFirstAdmin = false;

  async onApplicationBootstrap(): Promise<void> {
    const { profile, adminSetupTokenGenerated } = this.config.values;
    if (profile !== 'development' || !adminSetupTokenGenerated) return;
    this.awaitingFirstAdmin = (await this.accounts.countAdmins()) === 0;
  }

  /** The first-admin command for the boot banner (server.ts), while there is no admin and the setup token is this start's. */
  firstAdminCommand(url: string): string | null {
    return this.awaitingFirstAdmin ? firstAdminCommand(url, this.config.values.adminSetupToken) : null;
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
