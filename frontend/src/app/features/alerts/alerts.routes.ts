import { Routes } from '@angular/router';

export default [
  { path: '', title: $localize`Price alerts · CryptoVault`, loadComponent: () => import('./alerts.page').then((m) => m.AlertsPage) },
] satisfies Routes;
