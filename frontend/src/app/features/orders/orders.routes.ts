import { Routes } from '@angular/router';

export default [
  { path: '', title: $localize`Orders · CryptoVault`, loadComponent: () => import('./orders.page').then((m) => m.OrdersPage) },
] satisfies Routes;
