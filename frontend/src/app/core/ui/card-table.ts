import { DestroyRef, Directive, ElementRef, afterNextRender, inject } from '@angular/core';

/**
 * Every data table (`<table class="data">`) becomes a list of cards on a phone (below 600 px, styles.scss): one card per
 * row, each cell on its own line after its column's name. This directive gives each body cell that name as its
 * `data-label` (read from the header cell above it, so the label is the header's translated text and stays in step with
 * it), and keeps doing so as rows arrive, change and go. Header cells whose text is only for screen readers (an actions
 * column) give an empty label: the card shows the buttons alone. A cell spanning several columns (an empty-state row)
 * is marked `data-span` and shown as a plain line.
 *
 * Tables that fit a phone as they are (the markets list, a few narrow columns) opt out with `class="data narrow"`.
 */
@Directive({ selector: 'table.data' })
export class CardTable {
  private readonly table = inject<ElementRef<HTMLTableElement>>(ElementRef).nativeElement;

  constructor() {
    const observer = typeof MutationObserver === 'undefined' ? undefined : new MutationObserver(() => this.label());
    afterNextRender(() => {
      this.label();
      observer?.observe(this.table, { childList: true, subtree: true, characterData: true });
    });
    inject(DestroyRef).onDestroy(() => observer?.disconnect());
  }

  private label(): void {
    const headers = this.headerLabels();
    for (const body of Array.from(this.table.tBodies)) {
      for (const row of Array.from(body.rows)) {
        let column = 0;
        for (const cell of Array.from(row.cells)) {
          const span = Math.max(1, cell.colSpan || 1);
          if (span > 1) setAttr(cell, 'data-span', '');
          else setAttr(cell, 'data-label', headers[column] ?? '');
          column += span;
        }
      }
    }
  }

  /** The visible text of each header column (a colspan header repeats for the columns it covers). */
  private headerLabels(): string[] {
    const row = this.table.tHead?.rows[this.table.tHead.rows.length - 1];
    if (!row) return [];
    const labels: string[] = [];
    for (const cell of Array.from(row.cells)) {
      const text = visibleText(cell);
      for (let i = 0; i < Math.max(1, cell.colSpan || 1); i++) labels.push(text);
    }
    return labels;
  }
}

/** The header's text without what is there only for screen readers, and without a sort arrow. */
function visibleText(cell: HTMLElement): string {
  const copy = cell.cloneNode(true) as HTMLElement;
  copy.querySelectorAll('.visually-hidden, .cdk-visually-hidden').forEach((e) => e.remove());
  return (copy.textContent ?? '').replace(/[↑↓]/g, '').replace(/\s+/g, ' ').trim();
}

function setAttr(el: Element, name: string, value: string): void {
  if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}
