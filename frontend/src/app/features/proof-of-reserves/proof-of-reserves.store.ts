import { Injectable, inject, signal } from '@angular/core';
import { Api } from '../../api/api';
import { getMyReserveProof } from '../../api/fn/proof-of-reserves/get-my-reserve-proof';
import { getProofOfReserves } from '../../api/fn/proof-of-reserves/get-proof-of-reserves';
import type { MyReserveProofDto, PublishedSnapshotDto } from '../../api/models';
import { SessionStore } from '../../core/auth/session.store';
import { ApiError } from '../../core/http/api-error';
import { saveFile } from '../../core/ui/save-file';
import { verifyProof, type ProofOutcome } from './proof-verifier';

export type Verification =
  | { state: 'idle' }
  | { state: 'working' }
  | { state: 'done'; mine: MyReserveProofDto; outcome: ProofOutcome; published: boolean }
  | { state: 'error'; message: string };

/**
 * The published snapshot, and the signed-in user's proof verified in the browser: against the root this page shows,
 * and (version 2) that its leaf is the signed-in user's own account.
 */
@Injectable()
export class ProofOfReservesStore {
  private readonly api = inject(Api);
  private readonly session = inject(SessionStore);
  /** undefined: loading; null: nothing published yet. */
  readonly snapshot = signal<PublishedSnapshotDto | null | undefined>(undefined);
  readonly loadError = signal<string | null>(null);
  readonly verification = signal<Verification>({ state: 'idle' });

  async load(): Promise<void> {
    try {
      this.snapshot.set((await this.api.invoke(getProofOfReserves, {})).snapshot ?? null);
    } catch (e) {
      this.loadError.set(ApiError.from(e).message);
    }
  }

  /** Downloads the user's proof and verifies it here against the root this page shows and the user's account. */
  async verifyMine(): Promise<void> {
    this.verification.set({ state: 'working' });
    try {
      const mine = await this.api.invoke(getMyReserveProof, {});
      const shown = this.snapshot()?.rootHash;
      const account = this.session.user()?.id;
      const outcome = await verifyProof(mine.proof, shown ?? undefined, account);
      this.verification.set({
        state: 'done',
        mine,
        outcome,
        published: shown === mine.proof.root.hash,
      });
    } catch (e) {
      this.verification.set({ state: 'error', message: ApiError.from(e).message });
    }
  }

  /** The proof as the standalone verifier reads it. */
  download(mine: MyReserveProofDto): void {
    saveFile(
      new Blob([`${JSON.stringify(mine.proof, null, 2)}\n`], { type: 'application/json' }),
      proofFilename(mine),
    );
  }
}

export const proofFilename = (mine: MyReserveProofDto): string =>
  `cryptovault-proof-${mine.proof.snapshotId.slice(0, 8)}.json`;
