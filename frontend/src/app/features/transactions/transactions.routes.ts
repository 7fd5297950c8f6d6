import { Routes } from '@angular/router';

export default [
  { path: '', title: $localize`Transactions · CryptoVault`, loadComponent: () => import('./transactions.page').then((m) => m.TransactionsPage) },
] satisfies Routes;
