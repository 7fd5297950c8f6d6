import { TestBed } from '@angular/core/testing';
import { apiError, click, settle, setUpApp } from '../../../testing/ui';
import { ConfirmEmailChangePage } from './confirm-email-change.page';

describe('ConfirmEmailChangePage', () => {
  it('changes nothing when opened (mail scanners open links): only the button POSTs the token', async () => {
    const http = await setUpApp();
    const fixture = TestBed.createComponent(ConfirmEmailChangePage);
    fixture.componentRef.setInput('token', 'tok-123');
    await settle(fixture);
    http.match(() => true).forEach((r) => expect(r.request.url).not.toContain('confirm-email-change'));
    const el = fixture.nativeElement as HTMLElement;
    expect(el.textContent).toContain('Confirm your new email address');

    await click(fixture, 'Confirm');
    const req = http.expectOne('/api/auth/confirm-email-change');
    expect(req.request.method).toBe('POST');
    expect(req.request.body).toEqual({ token: 'tok-123' });
    req.flush({ message: 'Your sign-in address is now ada@new.example.' });
    await settle(fixture);
    expect(el.querySelector('[data-testid=email-change-done]')?.textContent).toContain('ada@new.example');
  });

  it('says when the link is used or expired', async () => {
    const http = await setUpApp();
    const fixture = TestBed.createComponent(ConfirmEmailChangePage);
    fixture.componentRef.setInput('token', 'used');
    await settle(fixture);
    await click(fixture, 'Confirm');
    http
      .expectOne('/api/auth/confirm-email-change')
      .flush(...apiError(400, 'VALIDATION_FAILED', 'The confirmation link is invalid, used or expired', [{ field: 'token', message: 'invalid' }]));
    await settle(fixture);
    expect((fixture.nativeElement as HTMLElement).querySelector('[role=alert]')?.textContent).toContain('invalid, used or expired');
  });
});
