import { SessionDto, UserDto, UserRole } from './dto/auth-responses.dto';
import { describeDevice } from './device';
import type { SessionEntity } from './entities/session.entity';
import type { UserEntity } from './entities/user.entity';
import { currentHold } from './security/security-hold.service';

/** The public view of an account: never a hash, a secret or a token. */
export function toUserDto(user: UserEntity): UserDto {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role === 'admin' ? UserRole.Admin : UserRole.User,
    emailVerified: user.emailVerifiedAt !== null,
    twoFactorEnabled: user.twoFactorEnabledAt !== null,
    securityHold: currentHold(user),
    createdAt: new Date(user.createdAt).toISOString(),
  };
}

export function toSessionDto(session: SessionEntity, currentSessionId: string): SessionDto {
  return {
    id: session.id,
    device: describeDevice(session.userAgent),
    ip: session.ip,
    createdAt: new Date(session.createdAt).toISOString(),
    lastUsedAt: new Date(session.lastUsedAt).toISOString(),
    current: session.id === currentSessionId,
  };
}
