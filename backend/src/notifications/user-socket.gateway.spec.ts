import type { IncomingMessage } from 'node:http';
import { upgradeToken } from './user-socket.gateway';

const req = (headers: Record<string, string>): IncomingMessage => ({ headers }) as unknown as IncomingMessage;

describe('upgradeToken', () => {
  it('takes the access_token cookie among other cookies, URL-decoded', () => {
    expect(upgradeToken(req({ cookie: 'csrf_token=abc; access_token=eyJ.a%2Bb.c; theme=dark' }))).toBe('eyJ.a+b.c');
  });

  it('prefers a Bearer header to the cookie', () => {
    expect(upgradeToken(req({ authorization: 'Bearer head.er.tok', cookie: 'access_token=cook.ie.tok' }))).toBe('head.er.tok');
  });

  it('finds nothing without the cookie, with an empty one, or with a cookie whose name only ends in access_token', () => {
    expect(upgradeToken(req({}))).toBeUndefined();
    expect(upgradeToken(req({ cookie: 'access_token=' }))).toBeUndefined();
    expect(upgradeToken(req({ cookie: 'old_access_token=x.y.z' }))).toBeUndefined();
    expect(upgradeToken(req({ cookie: 'access_token=%E0%A4%A' }))).toBeUndefined();
  });
});
