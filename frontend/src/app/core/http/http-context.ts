import { HttpContext, HttpContextToken } from '@angular/common/http';

/** The request is part of the auth machinery itself (csrf, refresh): no refresh, no retry, no redirect. */
export const AUTH_MACHINERY = new HttpContextToken<boolean>(() => false);
/** A 401 may try a refresh, but must not send the user to /login (e.g. "who am I" on start-up). */
export const AUTH_OPTIONAL = new HttpContextToken<boolean>(() => false);
/** The step-up call itself (the dialog shows its errors): never answered by opening the step-up dialog again. */
export const STEP_UP_CALL = new HttpContextToken<boolean>(() => false);
/** The caller shows the error itself: no snackbar. */
export const SILENT_ERRORS = new HttpContextToken<boolean>(() => false);

export function authMachinery(): HttpContext {
  return new HttpContext().set(AUTH_MACHINERY, true).set(SILENT_ERRORS, true);
}

export function optionalAuth(): HttpContext {
  return new HttpContext().set(AUTH_OPTIONAL, true).set(SILENT_ERRORS, true);
}

export function silentErrors(): HttpContext {
  return new HttpContext().set(SILENT_ERRORS, true);
}

export function stepUpCall(): HttpContext {
  return new HttpContext().set(STEP_UP_CALL, true).set(SILENT_ERRORS, true);
}
