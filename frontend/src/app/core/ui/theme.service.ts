import { isPlatformServer } from '@angular/common';
import { DOCUMENT, Injectable, PLATFORM_ID, inject, signal } from '@angular/core';

export type ThemeMode = 'light' | 'dark';

/** Light or dark; the first choice follows the system, later ones are remembered. */
@Injectable({ providedIn: 'root' })
export class ThemeService {
  private readonly document = inject(DOCUMENT);
  /** A server render has no stored choice nor system setting to read: light; the browser's app applies the visitor's. */
  readonly mode = signal<ThemeMode>(isPlatformServer(inject(PLATFORM_ID)) ? 'light' : initialMode());

  constructor() {
    this.apply(this.mode());
  }

  toggle(): void {
    const next: ThemeMode = this.mode() === 'dark' ? 'light' : 'dark';
    this.mode.set(next);
    localStorage.setItem('cv-theme', next);
    this.apply(next);
  }

  private apply(mode: ThemeMode): void {
    const root = this.document.documentElement.classList;
    root.toggle('theme-dark', mode === 'dark');
    root.toggle('theme-light', mode === 'light');
  }
}

function initialMode(): ThemeMode {
  const saved = localStorage.getItem('cv-theme');
  if (saved === 'light' || saved === 'dark') return saved;
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}
