import { Routes } from '@angular/router';

export default [{ path: '', title: $localize`Convert · CryptoVault`, loadComponent: () => import('./convert.page').then((m) => m.ConvertPage) }] satisfies Routes;
