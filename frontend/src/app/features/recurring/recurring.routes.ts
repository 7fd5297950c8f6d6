import { Routes } from '@angular/router';

export default [
  { path: '', title: $localize`Recurring buys · CryptoVault`, loadComponent: () => import('./recurring.page').then((m) => m.RecurringPage) },
] satisfies Routes;
