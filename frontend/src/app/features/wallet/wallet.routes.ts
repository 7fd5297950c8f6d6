import { Routes } from '@angular/router';

export default [
  { path: '', title: $localize`Wallet · CryptoVault`, loadComponent: () => import('./wallet.page').then((m) => m.WalletPage) },
  { path: 'addresses', title: $localize`Withdrawal addresses · CryptoVault`, loadComponent: () => import('./address-book.page').then((m) => m.AddressBookPage) },
] satisfies Routes;
