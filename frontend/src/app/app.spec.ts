import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
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

describe('App shell, the phone menu', () => {
  it('opens over an inert page with the focus on its first entry; Escape or a choice closes it and gives the focus back to ☰', async () => {
    installFakeWebSocket();
    TestBed.configureTestingModule({ imports: [App], providers: [provideRouter([{ path: '**', children: [] }]), provideHttpClient(), provideHttpClientTesting()] });
    await TestBed.compileComponents();
    const http = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(App);
    document.body.appendChild(fixture.nativeElement);
    await tick();
    http.expectOne('/api/prices').flush({ prices: {}, status: { source: 'simulated', state: 'ok', lastUpdate: null } });
    http.match('/api/auth/me').forEach((r) => r.flush({ statusCode: 401, error: { code: 'X', message: 'x' } }, { status: 401, statusText: 'x' }));
    await fixture.whenStable();
    const el: HTMLElement = fixture.nativeElement;
    const button = el.querySelector<HTMLButtonElement>('button[aria-label="Menu"]')!;
    const menu = el.querySelector<HTMLElement>('#cv-side-menu')!;
    const state = () => ({
      open: menu.classList.contains('open'),
      expanded: button.getAttribute('aria-expanded'),
      pageInert: el.querySelector('main')!.hasAttribute('inert'),
      barInert: el.querySelector('.topbar')!.hasAttribute('inert'),
      focus: document.activeElement?.textContent?.trim(),
    });
    expect(button.disabled).toBe(false); // the app runs: the button answers

    button.click();
    await fixture.whenStable();
    expect(state()).toEqual({ open: true, expanded: 'true', pageInert: true, barInert: true, focus: 'Markets' });

    menu.querySelector('.nav-item')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    await fixture.whenStable();
    expect(state()).toEqual({ open: false, expanded: 'false', pageInert: false, barInert: false, focus: '☰' });

    button.click();
    await fixture.whenStable();
    [...menu.querySelectorAll<HTMLElement>('a.nav-item')].find((a) => a.textContent?.trim() === 'Proof of reserves')!.click();
    await fixture.whenStable();
    expect(state()).toMatchObject({ open: false, pageInert: false, focus: '☰' });

    // Escape with the focus on no control (a click on the menu's text), and a page changed by other means (Back).
    button.click();
    await fixture.whenStable();
    (document.activeElement as HTMLElement).blur();
    document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    await fixture.whenStable();
    expect(state()).toMatchObject({ open: false, pageInert: false, barInert: false });
    button.click();
    await fixture.whenStable();
    expect(state().open).toBe(true);
    await TestBed.inject(Router).navigateByUrl('/markets');
    await fixture.whenStable();
    expect(state()).toMatchObject({ open: false, pageInert: false, barInert: false });
    fixture.nativeElement.remove();
  });
});
