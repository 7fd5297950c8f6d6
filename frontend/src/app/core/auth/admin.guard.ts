import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';
import { SessionStore } from './session.store';

/** Admin pages: signed-in users with role admin; others go to /login (signed out) or /dashboard. */
export const adminGuard: CanActivateFn = async (_route, state) => {
  const session = inject(SessionStore);
  const router = inject(Router);
  await session.ready;
  if (!session.signedIn()) return router.createUrlTree(['/login'], { queryParams: { returnUrl: state.url } });
  return session.isAdmin() ? true : router.createUrlTree(['/dashboard']);
};
