import { Routes } from '@angular/router';

export default [
  { path: '', title: $localize`Settings · CryptoVault`, loadComponent: () => import('./settings.page').then((m) => m.SettingsPage) },
  { path: 'activity', title: $localize`Account activity · CryptoVault`, loadComponent: () => import('./activity.page').then((m) => m.ActivityPage) },
  { path: 'data', title: $localize`Your data · CryptoVault`, loadComponent: () => import('./your-data.page').then((m) => m.YourDataPage) },
  { path: 'api-keys', title: $localize`API keys · CryptoVault`, loadComponent: () => import('./api-keys/api-keys.page').then((m) => m.ApiKeysPage) },
] satisfies Routes;
