import { Routes } from '@angular/router';

export default [
  {
    path: '',
    loadComponent: () => import('./admin-shell').then((m) => m.AdminShell),
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'overview' },
      { path: 'overview', title: 'Admin · CryptoVault', loadComponent: () => import('./admin-stats.page').then((m) => m.AdminStatsPage) },
      { path: 'users', title: 'Users · Admin · CryptoVault', loadComponent: () => import('./admin-users.page').then((m) => m.AdminUsersPage) },
      {
        path: 'withdrawals',
        title: 'Withdrawals · Admin · CryptoVault',
        loadComponent: () => import('./admin-withdrawals.page').then((m) => m.AdminWithdrawalsPage),
      },
      { path: 'audit', title: 'Audit log · Admin · CryptoVault', loadComponent: () => import('./admin-audit.page').then((m) => m.AdminAuditPage) },
      { path: 'ledger', title: 'Ledger adjustment · Admin · CryptoVault', loadComponent: () => import('./ledger-adjustment.page').then((m) => m.LedgerAdjustmentPage) },
    ],
  },
] satisfies Routes;
