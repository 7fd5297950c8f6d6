import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ApplicationRef, type Provider, type Type } from '@angular/core';
import { ComponentFixture, type DeferBlockBehavior, TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { provideRouter, Routes } from '@angular/router';
import type { UserDto } from '../app/api/models';
import { SessionStore } from '../app/core/auth/session.store';
import { authInterceptor } from '../app/core/http/auth.interceptor';
import { errorInterceptor } from '../app/core/http/error.interceptor';
import { languageInterceptor } from '../app/core/http/language.interceptor';
import { stepUpInterceptor } from '../app/core/http/step-up.interceptor';

export const tick = () => new Promise((r) => setTimeout(r, 0));

/** The open dialog (rendered in the overlay container), if any. */
export const dialog = (): HTMLElement | null => document.querySelector('mat-dialog-container');

/**
 * TestBed with the app's real interceptors over HttpTestingController, a CSRF
 * cookie, and (when `user` is given) that user signed in.
 */
export async function setUpApp(
  opts: { user?: Partial<UserDto>; routes?: Routes; imports?: Type<unknown>[]; providers?: Provider[]; deferBlockBehavior?: DeferBlockBehavior } = {},
): Promise<HttpTestingController> {
  document.cookie = 'csrf_token=abcdefabcdefabcdef; path=/';
  // Each test's app starts as a new tab would: with nothing a test before it stored. Spec files share one document in a
  // worker, so a deposit one test left open (sessionStorage, wallet.store.ts) was restored by another file's wallet
  // page, whose unexpected GET /api/wallet/deposit/o1 then failed its `http.verify()` when the files ran in that order.
  sessionStorage.clear();
  localStorage.clear();
  // deferBlockBehavior is given here, not in a configureTestingModule call of its own: each call sets it (to
  // Playthrough when left out), so one made before this one would be undone.
  TestBed.configureTestingModule({
    ...(opts.deferBlockBehavior ? { deferBlockBehavior: opts.deferBlockBehavior } : {}),
    imports: opts.imports ?? [],
    providers: [
      provideRouter(opts.routes ?? []),
      provideHttpClient(withInterceptors([errorInterceptor, stepUpInterceptor, authInterceptor, languageInterceptor])),
      provideHttpClientTesting(),
      // Dialogs open and close at once (no animation to wait for).
      { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
      ...(opts.providers ?? []),
    ],
  });
  await TestBed.compileComponents(); // resolves @defer blocks of the imported components (the shell's bell)
  const http = TestBed.inject(HttpTestingController);
  if (opts.user) {
    const session = TestBed.inject(SessionStore);
    await tick();
    http.match('/api/auth/me').forEach((r) => r.flush({ user: testUser(opts.user) }));
    await session.ready;
    session.setUser(testUser(opts.user));
  }
  return http;
}

export function testUser(over: Partial<UserDto> = {}): UserDto {
  return { id: 'u1', name: 'Ada', email: 'ada@example.com', role: 'user', emailVerified: true, twoFactorEnabled: false, securityHold: null, createdAt: '2026-01-01T00:00:00Z', ...over };
}

/** Lets pending promises and change detection run. */
/** Lets pending promises, HTTP callbacks and (zoneless) change detection run everywhere, overlays (dialogs) included. */
export async function idle(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await tick();
    await TestBed.inject(ApplicationRef).whenStable();
  }
}

/** Waits (letting the app run) until `probe` answers: a dialog or a message whose code is loaded on first use. */
export async function until<T>(probe: () => T | null | undefined | false, timeoutMs = 3000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    await idle();
    const found = probe();
    if (found) return found;
    if (Date.now() > end) throw new Error('until: timed out');
  }
}

export async function settle(fixture: ComponentFixture<unknown>): Promise<void> {
  await tick();
  await fixture.whenStable();
}

/** Types `value` into the field; with `leave`, then leaves it (blur), as a person moving to the next field does. */
export async function typeInto(fixture: ComponentFixture<unknown>, selector: string, value: string, opts: { leave?: boolean } = {}): Promise<void> {
  const input = (fixture.nativeElement as HTMLElement).querySelector<HTMLInputElement | HTMLTextAreaElement>(selector);
  if (!input) throw new Error(`no ${selector}`);
  input.value = value;
  input.dispatchEvent(new Event('input'));
  if (opts.leave) input.dispatchEvent(new Event('blur'));
  await settle(fixture);
}

/** The button (or link) whose visible text starts with `label`. */
export function button(fixture: ComponentFixture<unknown>, label: string): HTMLElement | undefined {
  return [...(fixture.nativeElement as HTMLElement).querySelectorAll<HTMLElement>('button, a')].find((b) => b.textContent?.trim().startsWith(label));
}

export async function click(fixture: ComponentFixture<unknown>, label: string): Promise<void> {
  const b = button(fixture, label);
  if (!b) throw new Error(`no button "${label}"`);
  b.click();
  await settle(fixture);
}

export async function submit(fixture: ComponentFixture<unknown>, form: HTMLFormElement | null = (fixture.nativeElement as HTMLElement).querySelector('form')): Promise<void> {
  form!.dispatchEvent(new Event('submit'));
  await settle(fixture);
}

/** Types into an input of the open dialog (dialogs render in the overlay container, outside the fixture). */
export async function typeInDialog(fixture: ComponentFixture<unknown>, name: string, value: string): Promise<void> {
  const input = document.querySelector<HTMLInputElement>(`mat-dialog-container input[name=${name}]`);
  if (!input) throw new Error(`no dialog input ${name}`);
  input.value = value;
  input.dispatchEvent(new Event('input'));
  await settle(fixture);
}

/** The open dialog's button whose text starts with `label`, clicked. */
export async function clickInDialog(fixture: ComponentFixture<unknown>, label: string): Promise<void> {
  const b = [...document.querySelectorAll<HTMLElement>('mat-dialog-container button')].find((x) => x.textContent?.trim().startsWith(label));
  if (!b) throw new Error(`no dialog button "${label}"`);
  b.click();
  await settle(fixture);
}

/** The API's one error shape, for `req.flush(...apiError(...))`. */
export function apiError(status: number, code: string, message: string, details: { field?: string; message: string }[] = []) {
  return [{ statusCode: status, error: { code, message, ...(details.length ? { details } : {}) }, requestId: 'req-test' }, { status, statusText: code }] as const;
}

/** Opens the mat-select named `name` and picks the option whose text starts with `label`; answers every option's text. */
export async function choose(fixture: ComponentFixture<unknown>, name: string, label: string): Promise<string[]> {
  const select = (fixture.nativeElement as HTMLElement).querySelector<HTMLElement>(`mat-select[name=${name}] .mat-mdc-select-trigger`);
  if (!select) throw new Error(`no mat-select ${name}`);
  select.click();
  await settle(fixture);
  const options = [...document.querySelectorAll<HTMLElement>('mat-option')];
  const texts = options.map((o) => o.textContent?.trim() ?? '');
  const option = options.find((o) => o.textContent?.trim().startsWith(label));
  if (!option) throw new Error(`no option "${label}" in ${texts.join(', ')}`);
  option.click();
  await settle(fixture);
  return texts;
}
