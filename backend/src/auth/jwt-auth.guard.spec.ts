import type { AuthenticatedRequest } from '../common/auth/auth-user';
import { accessTokenOf } from './jwt.strategy';

const req = (headers: Record<string, string>, cookies: Record<string, string> = {}) => ({ headers, cookies }) as unknown as AuthenticatedRequest;

describe('where the access token is read from', () => {
  it('takes the Bearer header first, then the access_token cookie', () => {
    expect(accessTokenOf(req({ authorization: 'Bearer abc.def.ghi' }, { access_token: 'cookie-token' }))).toBe('abc.def.ghi');
    expect(accessTokenOf(req({}, { access_token: 'cookie-token' }))).toBe('cookie-token');
  });

  it('does not fall back to the cookie when the Authorization header is malformed', () => {
    expect(accessTokenOf(req({ authorization: 'Basic dXNlcjpwYXNz' }, { access_token: 'cookie-token' }))).toBeUndefined();
    expect(accessTokenOf(req({ authorization: 'Bearer' }))).toBeUndefined();
  });

  it('finds nothing on an anonymous request', () => {
    expect(accessTokenOf(req({}))).toBeUndefined();
  });
});
