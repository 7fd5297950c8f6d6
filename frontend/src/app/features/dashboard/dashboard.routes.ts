import { Routes } from '@angular/router';

export default [
  { path: '', title: $localize`Portfolio · CryptoVault`, loadComponent: () => import('./dashboard.page').then((m) => m.DashboardPage) },
] satisfies Routes;
