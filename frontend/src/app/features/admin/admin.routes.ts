import { Routes } from '@angular/router';

export default [
  {
    path: '',
    loadComponent: () => import('./admin-shell').then((m) => m.AdminShell),
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'overview' },
      { path: 'overview', title: $localize`Admin · CryptoVault`, loadComponent: () => import('./admin-stats.page').then((m) => m.AdminStatsPage) },
      { path: 'users', title: $localize`Users · Admin · CryptoVault`, loadComponent: () => import('./admin-users.page').then((m) => m.AdminUsersPage) },
      {
        path: 'withdrawals',
        title: $localize`Withdrawals · Admin · CryptoVault`,
        loadComponent: () => import('./admin-withdrawals.page').then((m) => m.AdminWithdrawalsPage),
      },
      { path: 'audit', title: $localize`Audit log · Admin · CryptoVault`, loadComponent: () => import('./admin-audit.page').then((m) => m.AdminAuditPage) },
      { path: 'ledger', title: $localize`Ledger adjustment · Admin · CryptoVault`, loadComponent: () => import('./ledger-adjustment.page').then((m) => m.LedgerAdjustmentPage) },
      {
        path: 'reconciliation',
        title: $localize`Reconciliation · Admin · CryptoVault`,
        loadComponent: () => import('./admin-reconciliation.page').then((m) => m.AdminReconciliationPage),
      },
    ],
  },
] satisfies Routes;
