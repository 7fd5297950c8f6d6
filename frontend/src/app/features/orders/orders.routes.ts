import { Routes } from '@angular/router';

export default [
  { path: '', title: 'Orders · CryptoVault', loadComponent: () => import('./orders.page').then((m) => m.OrdersPage) },
] satisfies Routes;
