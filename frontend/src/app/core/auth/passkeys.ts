import { Injectable, InjectionToken, inject } from '@angular/core';
import { browserSupportsWebAuthn, startAuthentication, startRegistration } from '@simplewebauthn/browser';
import { Api } from '../../api/api';
import { getPasskeyConfirmationOptions } from '../../api/fn/auth/get-passkey-confirmation-options';
import { getPasskeyLoginOptions } from '../../api/fn/auth/get-passkey-login-options';
import type { PasskeyAssertionDto, PasskeyRegistrationCredentialDto } from '../../api/models';
import { ApiError } from '../http/api-error';
import { silentErrors } from '../http/http-context';

/** The browser's WebAuthn, through @simplewebauthn/browser (a token, so unit tests give a stand-in). */
export interface WebAuthnBrowser {
  supported(): boolean;
  create(optionsJSON: Record<string, unknown>): Promise<unknown>;
  get(optionsJSON: Record<string, unknown>): Promise<unknown>;
}

export const WEBAUTHN = new InjectionToken<WebAuthnBrowser>('WEBAUTHN', {
  providedIn: 'root',
  factory: () => ({
    supported: () => browserSupportsWebAuthn(),
    create: (optionsJSON) => startRegistration({ optionsJSON: optionsJSON as unknown as Parameters<typeof startRegistration>[0]['optionsJSON'] }),
    get: (optionsJSON) => startAuthentication({ optionsJSON: optionsJSON as unknown as Parameters<typeof startAuthentication>[0]['optionsJSON'] }),
  }),
});

/**
 * The passkey ceremonies: the server's options in, the authenticator's answer
 * out, as the SDK's body types. A prompt the user closed (or that timed out)
 * rejects with ApiError PASSKEY_CANCELLED, so forms show it like any other error.
 */
@Injectable({ providedIn: 'root' })
export class Passkeys {
  private readonly api = inject(Api);
  private readonly webauthn = inject(WEBAUTHN);

  supported(): boolean {
    try {
      return this.webauthn.supported();
    } catch {
      return false;
    }
  }

  async create(options: Record<string, unknown>): Promise<PasskeyRegistrationCredentialDto> {
    return (await this.ceremony(() => this.webauthn.create(options))) as PasskeyRegistrationCredentialDto;
  }

  async get(options: Record<string, unknown>): Promise<PasskeyAssertionDto> {
    return (await this.ceremony(() => this.webauthn.get(options))) as PasskeyAssertionDto;
  }

  /** An assertion for signing in (a passkey alone, or as the second step of a password sign-in). */
  async signInAssertion(): Promise<PasskeyAssertionDto> {
    const res = await this.api.invoke(getPasskeyLoginOptions, {}, silentErrors());
    return this.get(res.options);
  }

  /** An assertion confirming an action of this session (a withdrawal). */
  async confirmationAssertion(): Promise<PasskeyAssertionDto> {
    const res = await this.api.invoke(getPasskeyConfirmationOptions, {}, silentErrors());
    return this.get(res.options);
  }

  private async ceremony(run: () => Promise<unknown>): Promise<unknown> {
    try {
      return await run();
    } catch (err) {
      if (err instanceof ApiError) throw err;
      const name = (err as { name?: string; cause?: { name?: string } } | null)?.cause?.name ?? (err as { name?: string } | null)?.name;
      if (name === 'NotAllowedError' || name === 'AbortError') {
        throw new ApiError(0, 'PASSKEY_CANCELLED', $localize`The passkey prompt was closed or timed out; nothing was changed.`);
      }
      throw new ApiError(0, 'PASSKEY_UNAVAILABLE', err instanceof Error ? err.message : $localize`This browser could not use a passkey.`);
    }
  }
}
