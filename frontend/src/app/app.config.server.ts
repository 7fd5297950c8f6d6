import { mergeApplicationConfig, type ApplicationConfig } from '@angular/core';
import { provideClientHydration, withI18nSupport } from '@angular/platform-browser';
import { provideServerRendering, withRoutes } from '@angular/ssr';
import { appConfig } from './app.config';
import { serverRoutes } from './app.routes.server';

export const serverConfig: ApplicationConfig = mergeApplicationConfig(appConfig, {
  // Hydration: the page carries what the browser's app needs to take it over as it is (bootstrap.ts), with the
  // responses of the API calls made while rendering (the browser does not ask for them again).
  providers: [provideServerRendering(withRoutes(serverRoutes)), provideClientHydration(withI18nSupport())],
});
