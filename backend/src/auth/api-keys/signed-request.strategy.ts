import type { Request } from 'express';
import { API_KEY_HEADERS } from './api-key-signature';

type Verified = (err: unknown, user?: object | false) => void;

/**
 * A passport strategy for requests signed with an API key (the `CV-API-*` headers): a request without
 * `CV-API-KEY` is not this strategy's (`fail`, so passport tries the next one: the access token); one with it is
 * handed to `verify`, whose error (401 in the one error shape) ends the authentication. passport gives the instance
 * `success`, `fail` and `error` for each request (passport-strategy's contract).
 */
export class SignedRequestStrategy {
  name = 'api-key';
  declare success: (user: object) => void;
  declare fail: () => void;
  declare error: (err: unknown) => void;

  constructor(private readonly verify: (req: Request, done: Verified) => void) {}

  authenticate(req: Request): void {
    if (req.headers[API_KEY_HEADERS.key] === undefined) return this.fail();
    this.verify(req, (err, user) => {
      if (err) this.error(err);
      else if (user) this.success(user);
      else this.fail();
    });
  }
}
