import { Routes } from '@angular/router';

export default [
  { path: '', title: $localize`Markets · CryptoVault`, loadComponent: () => import('./markets.page').then((m) => m.MarketsPage) },
] satisfies Routes;
