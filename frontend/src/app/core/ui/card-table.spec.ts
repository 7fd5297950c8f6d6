import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { CardTable } from './card-table';

@Component({
  imports: [CardTable],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <table class="data">
      <thead>
        <tr><th>Asset</th><th class="num">Amount</th><th><span class="visually-hidden">Actions</span></th></tr>
      </thead>
      <tbody>
        @for (r of rows(); track r) {
          <tr><td>{{ r }}</td><td class="num">1.5</td><td><button type="button">Cancel</button></td></tr>
        } @empty {
          <tr><td colspan="3">Nothing yet.</td></tr>
        }
      </tbody>
    </table>
  `,
})
class Host {
  readonly rows = signal<string[]>([]);
}

/** The labels a phone's card shows before each value (data-label), row by row. */
function labels(root: HTMLElement): (string | null)[][] {
  return Array.from(root.querySelectorAll('tbody tr')).map((tr) =>
    Array.from((tr as HTMLTableRowElement).cells).map((td) => (td.hasAttribute('data-span') ? '(spans)' : td.getAttribute('data-label'))),
  );
}

describe('CardTable: each cell carries its column name for the phone cards', () => {
  it('labels cells from the header (actions unlabelled, an empty-state row spanning), and labels rows that arrive later', async () => {
    const fixture = TestBed.createComponent(Host);
    await fixture.whenStable();
    const root = fixture.nativeElement as HTMLElement;
    expect(labels(root)).toEqual([['(spans)']]);

    fixture.componentInstance.rows.set(['BTC', 'ETH']);
    await fixture.whenStable();
    // The MutationObserver runs as a microtask after the rows are inserted.
    await new Promise((r) => setTimeout(r));
    expect(labels(root)).toEqual([
      ['Asset', 'Amount', ''],
      ['Asset', 'Amount', ''],
    ]);
  });
});
