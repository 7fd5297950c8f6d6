import { mergeApplicationConfig, type ApplicationConfig } from '@angular/core';
import { provideClientHydration, withI18nSupport } from '@angular/platform-browser';
import { provideServerRendering, withRoutes } from '@angular/ssr';
import { appConfig } from './app.config';
import { serverRoutes } from './app.routes.server';

export const serverConfig: ApplicationConfig = mergeApplicationConfig(appConfig, {
  // Hydration: the page carries what the browser's app needs to take it over as it is (bootstrap.ts), with the
  // responses of the API calls made while rendering (the browser does not ask for them again).
  // Hydration first: its transfer cache must see an API call before the server's own interceptor makes its URL
  // absolute, so a response is kept under the relative URL the browser asks for (and the loopback address stays out).
  providers: [provideClientHydration(withI18nSupport()), provideServerRendering(withRoutes(serverRoutes))],
});
