import { Routes } from '@angular/router';

export default [
  { path: '', title: $localize`Settings · CryptoVault`, loadComponent: () => import('./settings.page').then((m) => m.SettingsPage) },
  { path: 'activity', title: $localize`Account activity · CryptoVault`, loadComponent: () => import('./activity.page').then((m) => m.ActivityPage) },
] satisfies Routes;
