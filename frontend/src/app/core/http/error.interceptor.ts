import { HttpErrorResponse, HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { catchError, from, switchMap, throwError } from 'rxjs';
import { Toasts } from '../ui/toasts';
import { ApiError } from './api-error';
import { SILENT_ERRORS } from './http-context';

/** Errors: the API's error shape becomes an ApiError (field messages included) and a snackbar. */
export const errorInterceptor: HttpInterceptorFn = (req, next) => {
  const toasts = inject(Toasts);
  const fail = (err: unknown) => {
    const apiError = ApiError.from(err);
    if (!req.context.get(SILENT_ERRORS)) {
      void toasts.open(apiError.message, $localize`:snackbar action:Close`, { duration: 6000, panelClass: 'cv-error-snack' });
    }
    return throwError(() => apiError);
  };
  return next(req).pipe(
    catchError((err: unknown) =>
      // A download (a statement's PDF, asked for as a Blob) that fails still answers the one error shape, as JSON in
      // a Blob: read it, so the person sees the server's words ("download the CSV instead"), not the status line.
      err instanceof HttpErrorResponse && err.error instanceof Blob ? from(readJson(err, err.error)).pipe(switchMap(fail)) : fail(err),
    ),
  );
};

/** The error with its Blob body parsed as JSON; as it was when the body is not JSON. */
async function readJson(err: HttpErrorResponse, body: Blob): Promise<HttpErrorResponse> {
  try {
    const error: unknown = JSON.parse(await body.text());
    return new HttpErrorResponse({ error, headers: err.headers, status: err.status, statusText: err.statusText, url: err.url ?? undefined });
  } catch {
    return err;
  }
}
