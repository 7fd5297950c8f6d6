import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { WatchlistStore } from './watchlist.store';

/**
 * The star that puts an asset on the watchlist or takes it off: a button named for what it does to the asset ("Add
 * Bitcoin to watchlist", "Remove Bitcoin from watchlist"), filled while the asset is on it, 40 px square for a finger. Clicks go no further (a star in a clickable row does not
 * open the row). Shown only to a signed-in user, whose watchlist it loads.
 */
@Component({
  selector: 'cv-watchlist-star',
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    :host {
      display: inline-flex;
    }
    button {
      all: unset;
      box-sizing: border-box;
      display: inline-flex;
      align-items: center;
      justify-content: center;
      width: 40px;
      height: 40px;
      border-radius: 50%;
      cursor: pointer;
      color: var(--mat-sys-on-surface-variant);
    }
    button:hover {
      background: var(--mat-sys-surface-container-high);
    }
    button:focus-visible {
      outline: 2px solid var(--mat-sys-primary);
      outline-offset: -2px;
    }
    button.on {
      color: light-dark(#a16207, #facc15);
    }
    button[aria-disabled='true'] {
      cursor: progress;
    }
  `,
  template: `
    <button
      type="button"
      [class.on]="on()"
      [attr.aria-label]="label()"
      [attr.title]="label()"
      [attr.aria-disabled]="busy() || null"
      (click)="toggle($event)"
    >
      <svg
        aria-hidden="true"
        width="22"
        height="22"
        viewBox="0 0 24 24"
        [attr.fill]="on() ? 'currentColor' : 'none'"
        stroke="currentColor"
        stroke-width="1.8"
        stroke-linejoin="round"
      >
        <path d="M12 3.2l2.6 5.5 6 .7-4.5 4.1 1.2 5.9L12 16.5l-5.3 2.9 1.2-5.9L3.4 9.4l6-.7z" />
      </svg>
    </button>
  `,
})
export class WatchlistStar {
  private readonly store = inject(WatchlistStore);
  readonly symbol = input.required<string>();
  /** The asset's name, as the button's name says it ("Add Bitcoin to watchlist"); the ticker when not given. */
  readonly name = input<string | null>(null);

  protected readonly on = computed(() =>
    this.store.symbols().includes(this.symbol().toUpperCase()),
  );
  protected readonly busy = computed(() => this.store.pending().has(this.symbol().toUpperCase()));
  protected readonly label = computed(() => {
    const asset = this.name() || this.symbol();
    return this.on()
      ? $localize`Remove ${asset}:asset: from watchlist`
      : $localize`Add ${asset}:asset: to watchlist`;
  });

  constructor() {
    void this.store.load();
  }

  protected toggle(event: Event): void {
    event.stopPropagation();
    event.preventDefault();
    if (this.busy()) return;
    this.store.toggle(this.symbol()).catch(() => undefined);
  }
}
