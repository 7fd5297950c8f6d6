import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';
import { SessionStore } from './session.store';

export const authGuard: CanActivateFn = async (_route, state) => {
  const session = inject(SessionStore);
  const router = inject(Router);
  await session.ready;
  return session.signedIn() ? true : router.createUrlTree(['/login'], { queryParams: { returnUrl: state.url } });
};
