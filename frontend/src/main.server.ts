// The server's entry (angular.json "server"): the same app as bootstrap.ts, with the server-rendering providers.
// Rendered on the server: the public pages a first visit lands on (app.routes.server.ts); the backend asks for them
// through server.ts. $localize is installed by the polyfills entry (angular.json "polyfills", server builds too).
import { bootstrapApplication, type BootstrapContext } from '@angular/platform-browser';
import { App } from './app/app';
import { serverConfig } from './app/app.config.server';

const bootstrap = (context: BootstrapContext) => bootstrapApplication(App, serverConfig, context);

export default bootstrap;
