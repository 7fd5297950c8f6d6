import { Routes } from '@angular/router';

export default [
  { path: ':id', title: $localize`Coin · CryptoVault`, loadComponent: () => import('./coin.page').then((m) => m.CoinPage) },
  { path: '', pathMatch: 'full', redirectTo: '/markets' },
] satisfies Routes;
