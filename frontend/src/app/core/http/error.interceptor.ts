import { HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { MatSnackBar } from '@angular/material/snack-bar';
import { catchError, throwError } from 'rxjs';
import { ApiError } from './api-error';
import { SILENT_ERRORS } from './http-context';

/** Errors: the API's error shape becomes an ApiError (field messages included) and a snackbar. */
export const errorInterceptor: HttpInterceptorFn = (req, next) => {
  const snackBar = inject(MatSnackBar);
  return next(req).pipe(
    catchError((err: unknown) => {
      const apiError = ApiError.from(err);
      if (!req.context.get(SILENT_ERRORS)) {
        snackBar.open(apiError.message, 'Close', { duration: 6000, panelClass: 'cv-error-snack' });
      }
      return throwError(() => apiError);
    }),
  );
};
