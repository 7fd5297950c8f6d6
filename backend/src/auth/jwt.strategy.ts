import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { createSecretKey } from 'node:crypto';
import { Strategy } from 'passport-jwt';
import type { AuthUser } from '../common/auth/auth-user';
import { AppConfig } from '../config/config.service';
import { AccessTokenService, type AccessPayload } from './access-tokens.service';
import { ACCESS_COOKIE } from './auth.constants';

/** The access token of a request: `Authorization: Bearer …` first, else the `access_token` cookie. */
export function accessTokenOf(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (typeof header === 'string') {
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
    return match ? match[1] : undefined;
  }
  const cookie = (req.cookies as Record<string, unknown> | undefined)?.[ACCESS_COOKIE];
  return typeof cookie === 'string' && cookie ? cookie : undefined;
}

/**
 * Passport's `jwt` strategy for access tokens (used by JwtAuthGuard): the token
 * from `accessTokenOf`, verified as HS256 with the key that signs them (expiry
 * included), then `validate` checks that it is an access token and that its
 * session and user still allow it (AccessTokenService.authorize: ended sessions,
 * `tokens_valid_after`, suspension, from UserAuthCache).
 *
 * A token this process has verified before skips passport-jwt's verification (the
 * HMAC and the parsing) until it expires, as WebSocket authentication does
 * (AccessTokenService.remembered): the revocation check still runs on every request.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    config: AppConfig,
    private readonly tokens: AccessTokenService,
  ) {
    super({
      jwtFromRequest: (req: Request) => accessTokenOf(req) ?? null,
      // A KeyObject, as JwtModule's: given a string or Buffer, jsonwebtoken first tries (and fails, with a thrown
      // error) to parse it as a PEM public key on every verify. jsonwebtoken takes KeyObjects; the typings say Buffer.
      secretOrKey: createSecretKey(Buffer.from(config.values.jwtSecret, 'utf8')) as unknown as Buffer,
      algorithms: ['HS256'],
      passReqToCallback: true,
    });
  }

  /** A verified token's payload → the caller (or an AppError, which the guard answers as is). */
  async validate(req: Request, payload: AccessPayload): Promise<AuthUser> {
    return this.tokens.authorize(this.tokens.remember(accessTokenOf(req) as string, payload));
  }

  /** passport's entry point: a remembered token goes straight to `validate`, any other through passport-jwt. */
  override authenticate(req: Request, options?: object): void {
    const token = accessTokenOf(req);
    const known = token === undefined ? undefined : this.tokens.remembered(token);
    if (!known) return super.authenticate(req, options);
    this.tokens.authorize(known).then(
      (user) => this.success(user),
      (e: Error) => this.error(e),
    );
  }
}
