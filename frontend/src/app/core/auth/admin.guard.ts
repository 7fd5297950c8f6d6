import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';
import { SessionStore } from './session.store';

/**
 * Admin pages: signed-in users with role admin; others go to /login (signed out) or /dashboard. An admin without
 * two-factor authentication is sent to enrol first (Settings, two-factor): the back office refuses them until then.
 */
export const adminGuard: CanActivateFn = async (_route, state) => {
  const session = inject(SessionStore);
  const router = inject(Router);
  await session.ready;
  if (!session.signedIn()) return router.createUrlTree(['/login'], { queryParams: { returnUrl: state.url } });
  if (!session.isAdmin()) return router.createUrlTree(['/dashboard']);
  return session.user()?.twoFactorEnabled ? true : router.createUrlTree(['/settings'], { fragment: 'two-factor' });
};
