import { HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { catchError, throwError } from 'rxjs';
import { Toasts } from '../ui/toasts';
import { ApiError } from './api-error';
import { SILENT_ERRORS } from './http-context';

/** Errors: the API's error shape becomes an ApiError (field messages included) and a snackbar. */
export const errorInterceptor: HttpInterceptorFn = (req, next) => {
  const toasts = inject(Toasts);
  return next(req).pipe(
    catchError((err: unknown) => {
      const apiError = ApiError.from(err);
      if (!req.context.get(SILENT_ERRORS)) {
        void toasts.open(apiError.message, $localize`:snackbar action:Close`, { duration: 6000, panelClass: 'cv-error-snack' });
      }
      return throwError(() => apiError);
    }),
  );
};
