import { Injectable, inject, signal } from '@angular/core';
import { Api } from '../../api/api';
import { closeAccount } from '../../api/fn/account/close-account';
import { createAccountExportLink } from '../../api/fn/account/create-account-export-link';
import { downloadAccountExport } from '../../api/fn/account/download-account-export';
import { getAccountClosure } from '../../api/fn/account/get-account-closure';
import { listAccountExports } from '../../api/fn/account/list-account-exports';
import { requestAccountExport } from '../../api/fn/account/request-account-export';
import type { AccountExportListDto, ClosureStatusDto } from '../../api/models';
import { filenameFrom, saveFile } from '../../core/ui/save-file';

/** Settings → Your data: the data exports and what closing the account needs. */
@Injectable()
export class YourDataStore {
  private readonly api = inject(Api);
  readonly exports = signal<AccountExportListDto | null>(null);
  readonly closure = signal<ClosureStatusDto | null>(null);

  /** Whether an export is being made (the page polls until it is done). */
  readonly working = (): boolean => (this.exports()?.items ?? []).some((e) => e.status === 'pending' || e.status === 'running');

  async loadExports(): Promise<void> {
    this.exports.set(await this.api.invoke(listAccountExports, {}));
  }

  async loadClosure(): Promise<void> {
    this.closure.set(await this.api.invoke(getAccountClosure, {}));
  }

  /** Starts an export (the step-up dialog asks who you are first when needed). */
  async requestExport(): Promise<void> {
    await this.api.invoke(requestAccountExport, {});
    await this.loadExports();
  }

  /** A download link of this session (a step-up first when needed), then the zip through it, saved as a file. */
  async download(id: string): Promise<void> {
    const link = await this.api.invoke(createAccountExportLink, { id });
    const token = new URL(link.url, 'http://link.invalid').searchParams.get('token') ?? '';
    const res = await this.api.invoke$Response(downloadAccountExport, { id, token });
    saveFile(new Blob([res.body], { type: 'application/zip' }), filenameFrom(res.headers.get('Content-Disposition'), 'cryptovault-data.zip'));
    await this.loadExports();
  }

  async close(confirmEmail: string): Promise<string> {
    const res = await this.api.invoke(closeAccount, { body: { confirmEmail } });
    return res.closedAt;
  }
}
