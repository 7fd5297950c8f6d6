import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { UserResponseDto } from '../auth/dto/auth-responses.dto';
import { UserEntity } from '../auth/entities/user.entity';
import { toUserDto } from '../auth/mappers';
import { constantTimeEquals } from '../auth/secrets';
import { UserAuthCache } from '../auth/user-auth-cache';
import { AuditService } from '../audit/audit.service';
import { conflict, forbidden, notFound } from '../common/errors/app-error';
import { AppConfig } from '../config/config.service';
import { inTransaction } from '../database/transaction';

/** Any fixed number: the advisory lock that serialises concurrent first-admin calls. */
const SETUP_LOCK = 748_201_207;

/** Makes the first admin, once, for whoever holds the setup token. */
@Injectable()
export class AdminSetupService implements OnApplicationBootstrap {
  private readonly logger = new Logger('AdminSetup');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly authCache: UserAuthCache,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { profile, adminSetupTokenGenerated, adminSetupToken } = this.config.values;
    if (profile !== 'development' || !adminSetupTokenGenerated) return;
    const [{ count }] = await this.dataSource.query<{ count: number }[]>(`SELECT count(*)::int AS count FROM users WHERE role = 'admin'`);
    if (count === 0) {
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
      throw forbidden('FORBIDDEN', 'A valid X-Setup-Token header is required');
    }
    const user = await inTransaction(this.dataSource, async (em) => {
      await em.query('SELECT pg_advisory_xact_lock($1)', [SETUP_LOCK]);
      const [{ count }] = await em.query<{ count: number }[]>(`SELECT count(*)::int AS count FROM users WHERE role = 'admin'`);
      if (count > 0) throw conflict('ALREADY_EXISTS', 'An admin already exists; admins manage roles from now on');
      const target = await em.getRepository(UserEntity).findOneBy({ email });
      if (!target) throw notFound('No account with this email');
      if (!target.emailVerifiedAt) throw forbidden('EMAIL_NOT_VERIFIED', 'The account must verify its email first');
      await em.query(`UPDATE users SET role = 'admin', updated_at = now() WHERE id = $1`, [target.id]);
      await this.audit.record({ action: 'admin.setup_first_admin', userId: target.id, actorId: target.id }, em);
      return { ...target, role: 'admin' as const };
    });
    this.authCache.forget(user.id);
    return { user: toUserDto(user) };
  }
}
