import { Routes } from '@angular/router';

export default [
  { path: 'freeze', title: $localize`This wasn't me · CryptoVault`, loadComponent: () => import('./freeze.page').then((m) => m.FreezePage) },
] satisfies Routes;
