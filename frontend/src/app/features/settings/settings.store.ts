import { Injectable, inject, signal } from '@angular/core';
import { Api } from '../../api/api';
import { changeEmail } from '../../api/fn/auth/change-email';
import { changePassword } from '../../api/fn/auth/change-password';
import { disableTwoFactor } from '../../api/fn/auth/disable-two-factor';
import { enableTwoFactor } from '../../api/fn/auth/enable-two-factor';
import { getTwoFactorStatus } from '../../api/fn/auth/get-two-factor-status';
import { listSessions } from '../../api/fn/auth/list-sessions';
import { regenerateBackupCodes } from '../../api/fn/auth/regenerate-backup-codes';
import { revokeSession } from '../../api/fn/auth/revoke-session';
import { setupTwoFactor } from '../../api/fn/auth/setup-two-factor';
import { updateProfile } from '../../api/fn/auth/update-profile';
import { deletePasskey } from '../../api/fn/auth/delete-passkey';
import { getPasskeyRegistrationOptions } from '../../api/fn/auth/get-passkey-registration-options';
import { listPasskeys } from '../../api/fn/auth/list-passkeys';
import { registerPasskey } from '../../api/fn/auth/register-passkey';
import { renamePasskey } from '../../api/fn/auth/rename-passkey';
import type { PasskeyDto, SessionDto, TwoFactorSetupResponseDto, TwoFactorStatusDto } from '../../api/models';
import { Passkeys } from '../../core/auth/passkeys';
import { SessionStore } from '../../core/auth/session.store';
import { silentErrors } from '../../core/http/http-context';

/**
 * Account settings: profile, email, password, two-factor and sessions. Form actions
 * reject with an ApiError (silent: the forms show it on their fields). The security
 * changes need a step-up: the step-up interceptor asks for it in a dialog and retries.
 */
@Injectable()
export class SettingsStore {
  private readonly api = inject(Api);
  private readonly session = inject(SessionStore);
  private readonly passkeyCeremonies = inject(Passkeys);

  readonly twoFactor = signal<TwoFactorStatusDto | null>(null);
  /** A setup in progress: the secret and QR code, until confirmed with a code. */
  readonly setup = signal<TwoFactorSetupResponseDto | null>(null);
  /** Backup codes just issued: shown once, then dismissed. */
  readonly backupCodes = signal<string[] | null>(null);
  readonly sessions = signal<SessionDto[] | null>(null);
  readonly passkeys = signal<PasskeyDto[] | null>(null);

  async loadTwoFactor(): Promise<void> {
    this.twoFactor.set(await this.api.invoke(getTwoFactorStatus, {}));
  }

  async loadSessions(): Promise<void> {
    const res = await this.api.invoke(listSessions, {});
    this.sessions.set(res.sessions);
  }

  async loadPasskeys(): Promise<void> {
    this.passkeys.set((await this.api.invoke(listPasskeys, {})).passkeys);
  }

  /** Asks the server for a challenge, lets the browser create the passkey, and registers it under `name`. */
  async addPasskey(name: string): Promise<PasskeyDto> {
    const { options } = await this.api.invoke(getPasskeyRegistrationOptions, {}, silentErrors());
    const credential = await this.passkeyCeremonies.create(options);
    const res = await this.api.invoke(registerPasskey, { body: { name, credential } }, silentErrors());
    this.passkeys.update((list) => [...(list ?? []), res.passkey]);
    return res.passkey;
  }

  async renamePasskey(id: string, name: string): Promise<void> {
    const res = await this.api.invoke(renamePasskey, { id, body: { name } }, silentErrors());
    this.passkeys.update((list) => list?.map((p) => (p.id === id ? res.passkey : p)) ?? null);
  }

  async removePasskey(id: string): Promise<void> {
    await this.api.invoke(deletePasskey, { id }, silentErrors());
    this.passkeys.update((list) => list?.filter((p) => p.id !== id) ?? null);
  }

  async updateProfile(name: string): Promise<void> {
    const res = await this.api.invoke(updateProfile, { body: { name } }, silentErrors());
    this.session.setUser(res.user);
  }

  /** The server signs out every other session; the list is reloaded to show it. */
  async changePassword(newPassword: string): Promise<string> {
    const res = await this.api.invoke(changePassword, { body: { newPassword } }, silentErrors());
    await this.loadSessions().catch(() => undefined);
    return res.message;
  }

  /** Nothing changes until the link mailed to the new address is opened and confirmed; the answer says so. */
  async changeEmail(newEmail: string): Promise<string> {
    const res = await this.api.invoke(changeEmail, { body: { newEmail } }, silentErrors());
    return res.message;
  }

  async startSetup(): Promise<void> {
    this.backupCodes.set(null);
    this.setup.set(await this.api.invoke(setupTwoFactor, {}, silentErrors()));
  }

  cancelSetup(): void {
    this.setup.set(null);
  }

  async confirmSetup(code: string): Promise<void> {
    const res = await this.api.invoke(enableTwoFactor, { body: { code } }, silentErrors());
    this.setup.set(null);
    this.backupCodes.set(res.backupCodes);
    await this.afterTwoFactorChange();
  }

  async regenerateBackupCodes(): Promise<void> {
    const res = await this.api.invoke(regenerateBackupCodes, {}, silentErrors());
    this.backupCodes.set(res.backupCodes);
    await this.loadTwoFactor();
  }

  async disable(): Promise<void> {
    await this.api.invoke(disableTwoFactor, {}, silentErrors());
    this.backupCodes.set(null);
    await this.afterTwoFactorChange();
  }

  dismissBackupCodes(): void {
    this.backupCodes.set(null);
  }

  async revokeSession(id: string): Promise<void> {
    await this.api.invoke(revokeSession, { id });
    this.sessions.update((list) => list?.filter((s) => s.id !== id) ?? null);
  }

  /** The user's `twoFactorEnabled` flag (read by the withdraw form) follows the change. */
  private async afterTwoFactorChange(): Promise<void> {
    await Promise.all([this.loadTwoFactor(), this.session.reload()]);
  }
}
