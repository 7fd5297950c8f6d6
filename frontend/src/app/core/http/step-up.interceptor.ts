import { HttpErrorResponse, HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { catchError, from, switchMap, throwError } from 'rxjs';
import { StepUpPrompt } from '../auth/step-up-prompt';
import { ApiError } from './api-error';
import { STEP_UP_CALL } from './http-context';

/** The code a cancelled step-up fails the original call with (never sent by the server). */
export const STEP_UP_CANCELLED = 'STEP_UP_CANCELLED';

/**
 * Security changes (2FA, password, email …) answer 401 STEP_UP_REQUIRED until this session has confirmed
 * it is its owner: then the step-up dialog asks for the password (and a code when 2FA is on), steps the
 * session up through the SDK and sends the original request again, once. Cancelled: the original call
 * fails with STEP_UP_CANCELLED and a message that says nothing was changed.
 */
export const stepUpInterceptor: HttpInterceptorFn = (req, next) => {
  if (req.context.get(STEP_UP_CALL)) return next(req);
  const prompt = inject(StepUpPrompt);
  return next(req).pipe(
    catchError((err: unknown) => {
      const code = err instanceof HttpErrorResponse ? (err.error as { error?: { code?: string } } | null)?.error?.code : undefined;
      if (!(err instanceof HttpErrorResponse && err.status === 401 && code === 'STEP_UP_REQUIRED')) return throwError(() => err);
      return from(prompt.ask()).pipe(
        switchMap((confirmed) =>
          confirmed
            ? next(req)
            : throwError(() => new ApiError(401, STEP_UP_CANCELLED, $localize`Nothing was changed: this change needs you to confirm it is you (your password) first.`)),
        ),
      );
    }),
  );
};
