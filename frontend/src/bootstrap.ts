import { mergeApplicationConfig } from '@angular/core';
import { bootstrapApplication, provideClientHydration, withI18nSupport } from '@angular/platform-browser';
import { appConfig } from './app/app.config';
import { App } from './app/app';
import { activeLanguage } from './app/core/i18n/language';
import { showLoadFailure } from './load-failure';

// A page the server rendered (the markets, a coin: English) is taken over as it is — hydrated — when the app runs in
// English too; in another language the app renders it anew in that language (the server's text is English).
const config = activeLanguage().code === 'en' ? mergeApplicationConfig(appConfig, { providers: [provideClientHydration(withI18nSupport())] }) : appConfig;

bootstrapApplication(App, config).catch(showLoadFailure);
