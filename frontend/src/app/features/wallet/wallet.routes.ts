import { Routes } from '@angular/router';

export default [
  { path: '', title: 'Wallet · CryptoVault', loadComponent: () => import('./wallet.page').then((m) => m.WalletPage) },
] satisfies Routes;
