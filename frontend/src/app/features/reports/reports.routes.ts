import { Routes } from '@angular/router';

export default [
  { path: '', title: $localize`Reports · CryptoVault`, loadComponent: () => import('./reports.page').then((m) => m.ReportsPage) },
] satisfies Routes;
