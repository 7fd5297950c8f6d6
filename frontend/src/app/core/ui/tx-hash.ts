import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

/** A long hash as its start and end ("f4184fc596…831e9e16"); short ones whole. */
export function shortHash(hash: string): string {
  return hash.length > 20 ? `${hash.slice(0, 10)}…${hash.slice(-8)}` : hash;
}

/**
 * A payout's transaction hash. With the block explorer link the API gives (`explorerUrl`: the server builds it only
 * from a hash in its chain's format), a link opening the explorer in a new tab, showing the hash shortened, the whole
 * hash on hover (title, also the link's description). Its accessible name carries the shortened hash as shown (WCAG
 * 2.5.3, label in name: what a voice-control user reads out names the link). Without one (not a hash of that chain, or no explorer for the
 * network), the whole hash as text.
 */
@Component({
  selector: 'cv-tx-hash',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (url(); as href) {
      <a class="tx-link" [href]="href" target="_blank" rel="noopener noreferrer" [title]="hash()" [attr.aria-label]="label()"><code>{{ short() }}</code></a>
    } @else {
      <code class="tx-text">{{ hash() }}</code>
    }
  `,
  styles: `
    :host {
      font-size: 0.9em;
    }
    .tx-text {
      word-break: break-all;
    }
    .tx-link {
      white-space: nowrap;
    }
  `,
})
export class TxHash {
  readonly hash = input.required<string>();
  /** The explorer's page of this transaction, or null/undefined for none. */
  readonly url = input<string | null | undefined>(null);

  protected readonly short = computed(() => shortHash(this.hash()));
  protected readonly label = computed(() => {
    const hash = this.short();
    return $localize`:Link to a payout's transaction on a block explorer|:Transaction ${hash}:hash: on a block explorer (opens in a new tab)`;
  });
}
