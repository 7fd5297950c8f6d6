import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { installFakeWebSocket } from '../testing/fake-websocket';
import { App } from './app';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('App shell', () => {
  it('shows the "Prices: simulated" badge when /api/prices reports a simulated source', async () => {
    installFakeWebSocket();
    TestBed.configureTestingModule({ imports: [App], providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()] });
    await TestBed.compileComponents(); // the shell has a @defer block
    const http = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(App);
    await tick();
    http.expectOne('/api/prices').flush({ prices: {}, status: { source: 'simulated', state: 'ok', lastUpdate: null } });
    http.match('/api/auth/me').forEach((r) => r.flush({ statusCode: 401, error: { code: 'X', message: 'x' } }, { status: 401, statusText: 'x' }));
    await tick();
    await fixture.whenStable();
    const el: HTMLElement = fixture.nativeElement;
    expect(el.querySelector('.sim-badge')?.textContent).toContain('Prices: simulated');
    expect(el.textContent).toContain('Log in');
  });
});
