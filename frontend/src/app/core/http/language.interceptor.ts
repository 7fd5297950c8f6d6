import { HttpInterceptorFn } from '@angular/common/http';
import { activeLanguage } from '../i18n/language';

/**
 * Every API call asks for the language the app runs in (`Accept-Language: de`), so the API's error messages
 * (`error.message`, `details[].message`) come in the words the rest of the page is in. English when the chosen
 * language's translations could not be loaded (main.ts), like the page. A call that names a language keeps it.
 */
export const languageInterceptor: HttpInterceptorFn = (req, next) =>
  next(req.headers.has('Accept-Language') ? req : req.clone({ setHeaders: { 'Accept-Language': activeLanguage().code } }));
