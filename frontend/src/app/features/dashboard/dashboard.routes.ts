import { Routes } from '@angular/router';

export default [
  { path: '', title: 'Portfolio · CryptoVault', loadComponent: () => import('./dashboard.page').then((m) => m.DashboardPage) },
] satisfies Routes;
