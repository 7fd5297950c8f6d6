import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../../audit/audit.module';
import { AuthModule } from '../auth.module';
import { ApiKeyAddressThrottle } from './api-key-address-throttle';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { ApiKeyEntity } from './api-key.entity';
import { ApiKeyStrategy } from './api-key.strategy';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeysService } from './api-keys.service';

/**
 * Scoped API keys (API.md "API keys"): `/api/auth/api-keys` and passport's `api-key` strategy, which JwtAuthGuard
 * tries before the access token. Its own module beside AuthModule (it needs the freeze service AuthModule exports).
 */
@Module({
  imports: [TypeOrmModule.forFeature([ApiKeyEntity]), AuditModule, AuthModule],
  controllers: [ApiKeysController],
  providers: [ApiKeysRepository, ApiKeysService, ApiKeyAuthenticator, ApiKeyAddressThrottle, ApiKeyStrategy],
})
export class ApiKeysModule {}
