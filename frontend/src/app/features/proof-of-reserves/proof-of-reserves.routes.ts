import { Routes } from '@angular/router';

export default [
  {
    path: '',
    title: $localize`Proof of reserves · CryptoVault`,
    loadComponent: () => import('./proof-of-reserves.page').then((m) => m.ProofOfReservesPage),
  },
] satisfies Routes;
