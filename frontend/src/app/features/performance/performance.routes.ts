import { Routes } from '@angular/router';

export default [
  { path: '', title: $localize`Performance · CryptoVault`, loadComponent: () => import('./performance.page').then((m) => m.PerformancePage) },
] satisfies Routes;
