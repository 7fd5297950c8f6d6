/** Lets pending promises and zero-delay timers run. */
export const tick = () => new Promise((r) => setTimeout(r, 0));

/** A Material dialog answers (afterClosed) only once its closing animation's fallback timer has run. */
export const dialogClosed = () => new Promise((r) => setTimeout(r, 250));

/** The first button (or link) in `root` whose text starts with `label`. */
export function buttonByText(root: ParentNode, label: string): HTMLButtonElement {
  const found = [...root.querySelectorAll<HTMLButtonElement>('button, a')].find((b) => b.textContent?.trim().startsWith(label));
  if (!found) throw new Error(`no button "${label}"`);
  return found;
}

/** The button whose accessible name (aria-label) is `name`. */
export function buttonByName(root: ParentNode, name: string): HTMLButtonElement {
  const found = [...root.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.getAttribute('aria-label') === name);
  if (!found) throw new Error(`no button named "${name}"`);
  return found;
}

/** Opens the mat-select labelled `label` and picks the option whose text starts with `option` (options render in the overlay). */
export async function chooseOption(root: HTMLElement, label: string, option: string): Promise<void> {
  const field = [...root.querySelectorAll('mat-form-field')].find((f) => f.querySelector('mat-label')?.textContent?.trim() === label);
  const trigger = field?.querySelector<HTMLElement>('.mat-mdc-select-trigger');
  if (!trigger) throw new Error(`no select "${label}"`);
  trigger.click();
  await tick();
  const opt = [...document.querySelectorAll<HTMLElement>('mat-option')].find((o) => o.textContent?.trim().startsWith(option));
  if (!opt) throw new Error(`no option "${option}" in "${label}"`);
  opt.click();
  await tick();
}

/** Table body rows' cell texts. */
export function rows(table: Element | null): string[][] {
  return [...(table?.querySelectorAll('tbody tr') ?? [])].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? ''));
}
