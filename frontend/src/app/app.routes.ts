import { Routes } from '@angular/router';
import { adminGuard } from './core/auth/admin.guard';
import { authGuard } from './core/auth/auth.guard';

export const routes: Routes = [
  { path: '', pathMatch: 'full', redirectTo: 'markets' },
  // The two public pages a first visit lands on load their component straight away: no routes chunk in between, one
  // request less before the page can render (bench/lighthouse.mjs).
  { path: 'markets', title: $localize`Markets · CryptoVault`, loadComponent: () => import('./features/markets/markets.page').then((m) => m.MarketsPage) },
  { path: 'coin/:id', title: $localize`Coin · CryptoVault`, loadComponent: () => import('./features/coin/coin.page').then((m) => m.CoinPage) },
  { path: 'coin', pathMatch: 'full', redirectTo: '/markets' },
  { path: 'dashboard', canActivate: [authGuard], loadChildren: () => import('./features/dashboard/dashboard.routes') },
  { path: 'performance', canActivate: [authGuard], loadChildren: () => import('./features/performance/performance.routes') },
  { path: 'reports', canActivate: [authGuard], loadChildren: () => import('./features/reports/reports.routes') },
  // The address confirmation link works signed out too (its token is the proof); before `wallet`, which needs a session.
  {
    path: 'wallet/addresses/confirm',
    title: $localize`Confirm withdrawal address · CryptoVault`,
    loadComponent: () => import('./features/wallet/confirm-address.page').then((m) => m.ConfirmAddressPage),
  },
  { path: 'wallet', canActivate: [authGuard], loadChildren: () => import('./features/wallet/wallet.routes') },
  { path: 'orders', canActivate: [authGuard], loadChildren: () => import('./features/orders/orders.routes') },
  { path: 'convert', canActivate: [authGuard], loadChildren: () => import('./features/convert/convert.routes') },
  { path: 'transactions', canActivate: [authGuard], loadChildren: () => import('./features/transactions/transactions.routes') },
  { path: 'alerts', canActivate: [authGuard], loadChildren: () => import('./features/alerts/alerts.routes') },
  { path: 'recurring', canActivate: [authGuard], loadChildren: () => import('./features/recurring/recurring.routes') },
  { path: 'settings', canActivate: [authGuard], loadChildren: () => import('./features/settings/settings.routes') },
  { path: 'admin', canActivate: [authGuard, adminGuard], loadChildren: () => import('./features/admin/admin.routes') },
  // Public: the published root and totals; signed in, the page also verifies the user's own proof.
  { path: 'proof-of-reserves', loadChildren: () => import('./features/proof-of-reserves/proof-of-reserves.routes') },
  { path: 'security', loadChildren: () => import('./features/security/security.routes') },
  { path: '', loadChildren: () => import('./features/auth/auth.routes') },
  { path: '**', redirectTo: 'markets' },
];
