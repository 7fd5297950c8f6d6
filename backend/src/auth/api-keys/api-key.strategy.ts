import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import type { AuthUser } from '../../common/auth/auth-user';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { SignedRequestStrategy } from './signed-request.strategy';

/** Passport's `api-key` strategy (tried before `jwt` by JwtAuthGuard): a request signed with an API key → its owner. */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(SignedRequestStrategy, 'api-key') {
  constructor(private readonly authenticator: ApiKeyAuthenticator) {
    super();
  }

  validate(req: Request): Promise<AuthUser> {
    return this.authenticator.authenticate(req);
  }
}
