import { ChangeDetectionStrategy, Component, OnInit, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';
import type { MyReserveProofDto } from '../../api/models';
import { SessionStore } from '../../core/auth/session.store';
import { multiplyDecimals } from '../../core/ui/decimal';
import { AmountComponent, NumPipe, PctPipe, TimeComponent } from '../../core/ui/format.pipes';
import { Skeleton } from '../../core/ui/skeleton';
import type { ProofFailure } from './proof-verifier';
import { ProofOfReservesStore, proofFilename } from './proof-of-reserves.store';

/**
 * Proof of reserves (public): the latest published Merkle sum tree root with the liabilities per asset, the reserves
 * beside them and their ratio; signed in, the user's own inclusion proof, verified here in the browser and
 * downloadable for the standalone verifier.
 */
@Component({
  selector: 'cv-proof-of-reserves-page',
  imports: [
    MatButtonModule,
    RouterLink,
    AmountComponent,
    TimeComponent,
    PctPipe,
    NumPipe,
    Skeleton,
  ],
  providers: [ProofOfReservesStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="page">
      <h1 i18n>Proof of reserves</h1>
      <p i18n class="intro">
        Regularly we add up every customer's balance, per asset, in a Merkle sum tree and publish
        its root. Each customer can check that their own balances are in it, so the totals below
        cannot leave anyone out. Next to them are the reserves our payment provider holds for us.
      </p>

      @if (store.loadError(); as m) {
        <p class="error-text" role="alert">{{ m }}</p>
      } @else if (store.snapshot() === undefined) {
        <cv-skeleton [count]="3" />
      } @else if (store.snapshot(); as s) {
        <section aria-labelledby="snapshot-title" data-testid="por-snapshot">
          <h2 i18n id="snapshot-title">Latest snapshot</h2>
          <dl class="facts">
            <dt i18n>Taken</dt>
            <dd><cv-time [at]="s.takenAt" format="datetime" /></dd>
            <dt i18n>Accounts included</dt>
            <dd>{{ s.leafCount | num }}</dd>
            <dt i18n>Root hash</dt>
            <dd>
              <code class="hash" data-testid="por-root">{{ s.rootHash }}</code>
            </dd>
          </dl>
          @if (source(); as src) {
            <p i18n class="muted" data-testid="por-source">
              Reserves: the balances of our account at {{ src.provider }} when they were last
              checked, <cv-time [at]="src.checkedAt" format="datetime" />.
            </p>
          } @else {
            <p i18n class="muted" data-testid="por-source">
              Reserves: not known yet. Our payment provider's balances have not been checked.
            </p>
          }
          <ul class="assets" data-testid="por-assets">
            @for (a of s.assets; track a.asset) {
              <li data-testid="por-asset">
                <h3>{{ a.asset }}</h3>
                <dl>
                  <dt i18n>Customer balances</dt>
                  <dd><cv-amount [value]="a.liabilities" [asset]="a.asset" /></dd>
                  <dt i18n>Reserves</dt>
                  <dd>
                    @if (a.reserves !== null) {
                      <cv-amount [value]="a.reserves" [asset]="a.asset" />
                    } @else {
                      <span i18n>Unknown</span>
                    }
                  </dd>
                  <dt i18n>Reserves ÷ balances</dt>
                  <dd>
                    @if (a.ratio !== null) {
                      {{ percent(a.ratio) | pct: false }}
                    } @else {
                      <span i18n>Unknown</span>
                    }
                  </dd>
                </dl>
              </li>
            }
          </ul>
        </section>

        <section aria-labelledby="verify-title" data-testid="por-verify">
          <h2 i18n id="verify-title">Verify my balances</h2>
          @if (session.signedIn()) {
            <p i18n>
              Your browser downloads your proof (your balances, your leaf's random nonce and the
              hashes and sums on the path to the root) and checks it here against the root above.
              Nothing is sent back.
            </p>
            <p>
              <button
                i18n
                mat-flat-button
                type="button"
                data-testid="por-verify-button"
                [disabled]="store.verification().state === 'working'"
                (click)="store.verifyMine()"
              >
                Verify my balances
              </button>
            </p>
            @switch (store.verification().state) {
              @case ('working') {
                <p i18n role="status">Verifying…</p>
              }
            }
            @if (verified(); as v) {
              @if (v.outcome.ok && v.published) {
                <div class="outcome ok" role="status" data-testid="por-verified">
                  @if (v.outcome.account) {
                    <p i18n>
                      <strong>Verified.</strong> Your balances below are included in the published
                      root, in a leaf that names your account and no one else's.
                    </p>
                  } @else {
                    <p i18n>
                      <strong>Verified.</strong> Your balances below are included in the published
                      root. This snapshot is older than account-bound leaves: its proof cannot show
                      that the leaf is yours alone.
                    </p>
                  }
                </div>
              } @else {
                <div class="outcome bad" role="alert" data-testid="por-not-verified">
                  <p i18n>
                    <strong>Not verified.</strong>
                    {{ failureText(v.outcome.ok ? 'root' : v.outcome.failure) }}
                  </p>
                </div>
              }
              <ul class="balances" data-testid="por-my-balances">
                @for (b of v.mine.balances; track b.asset) {
                  <li><cv-amount [value]="b.amount" [asset]="b.asset" /></li>
                }
              </ul>
              <p>
                <button
                  i18n
                  mat-stroked-button
                  type="button"
                  data-testid="por-download"
                  (click)="store.download(v.mine)"
                >
                  Download proof (JSON)
                </button>
              </p>
              @if (v.mine.proof.leaf.account; as account) {
                <p class="muted" data-testid="por-account">
                  <span i18n>Your account id, which your leaf names:</span>&ngsp;<code
                    class="hash"
                    >{{ account }}</code
                  >
                </p>
              }
              <p i18n class="muted">
                To check it without us, run the standalone verifier from our source code (Node 20 or
                later):
              </p>
              <pre
                class="command"
                data-testid="por-command"
              ><code>{{ command(v.mine) }}</code></pre>
            }
            @if (failed(); as m) {
              <p class="error-text" role="alert" data-testid="por-error">{{ m }}</p>
            }
          } @else {
            <p i18n>
              <a routerLink="/login">Log in</a> to verify that your own balances are included.
            </p>
          }
        </section>
      } @else {
        <p i18n data-testid="por-none">No snapshot has been published yet.</p>
      }
    </div>
  `,
  styles: `
    section {
      margin-bottom: 32px;
      max-width: 760px;
    }
    .intro {
      max-width: 760px;
    }
    .facts {
      display: grid;
      grid-template-columns: max-content minmax(0, 1fr);
      gap: 4px 16px;
    }
    dd {
      margin: 0;
    }
    .hash,
    .command code {
      font-family: ui-monospace, monospace;
      overflow-wrap: anywhere;
      word-break: break-all;
    }
    .command {
      white-space: pre-wrap;
      padding: 12px;
      border-radius: 8px;
      background: var(--mat-sys-surface-container, rgba(127, 127, 127, 0.12));
    }
    .assets,
    .balances {
      list-style: none;
      padding: 0;
      margin: 16px 0;
    }
    .assets {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(220px, 1fr));
      gap: 12px;
    }
    .assets li {
      padding: 12px;
      border: 1px solid var(--mat-sys-outline-variant, rgba(127, 127, 127, 0.4));
      border-radius: 8px;
    }
    .assets h3 {
      margin: 0 0 8px;
    }
    .assets dl {
      display: grid;
      grid-template-columns: minmax(0, 1fr) max-content;
      gap: 4px 12px;
      margin: 0;
    }
    .assets dd {
      text-align: end;
    }
    .outcome {
      padding: 8px 12px;
      border-radius: 8px;
      border-left: 4px solid;
    }
    .outcome.ok {
      border-color: var(--cv-positive, #1b7f3b);
    }
    .outcome.bad {
      border-color: var(--cv-negative, #b3261e);
    }
  `,
})
export class ProofOfReservesPage implements OnInit {
  protected readonly store = inject(ProofOfReservesStore);
  protected readonly session = inject(SessionStore);

  /** Every asset's reserves come from the same provider check. */
  protected readonly source = computed(
    () => this.store.snapshot()?.assets.find((a) => a.reservesSource)?.reservesSource ?? null,
  );
  protected readonly verified = computed(() => {
    const v = this.store.verification();
    return v.state === 'done' ? v : null;
  });
  protected readonly failed = computed(() => {
    const v = this.store.verification();
    return v.state === 'error' ? v.message : null;
  });

  ngOnInit(): void {
    void this.store.load();
  }

  /** The ratio (1.048) in percent units (104.8), exactly. */
  protected percent(ratio: string): string {
    return multiplyDecimals(ratio, '100');
  }

  protected command(mine: MyReserveProofDto): string {
    const account = mine.proof.leaf.account ? ` --account ${mine.proof.leaf.account}` : '';
    return `node scripts/verify-reserves-proof.mjs ${proofFilename(mine)} ${mine.proof.root.hash}${account}`;
  }

  protected failureText(f: ProofFailure): string {
    switch (f) {
      case 'negative':
        return $localize`The proof holds a negative amount, which a sum tree must never contain.`;
      case 'overflow':
        return $localize`The proof's sums are too large to be real.`;
      case 'path':
        return $localize`Your balances and the path do not lead to the root: the proof has been altered.`;
      case 'totals':
        return $localize`The totals on the path do not add up to the root's totals.`;
      case 'root':
        return $localize`The proof is for another root than the one published on this page. Reload the page and try again.`;
      case 'account':
        return $localize`The proof is for another account than yours: its leaf is not yours.`;
      default:
        return $localize`The proof could not be read.`;
    }
  }
}
