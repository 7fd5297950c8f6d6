import { Routes } from '@angular/router';

export default [
  { path: 'login', title: $localize`Log in · CryptoVault`, loadComponent: () => import('./login.page').then((m) => m.LoginPage) },
  { path: 'signup', title: $localize`Sign up · CryptoVault`, loadComponent: () => import('./signup.page').then((m) => m.SignupPage) },
  { path: 'verify-email', title: $localize`Verify email · CryptoVault`, loadComponent: () => import('./verify-email.page').then((m) => m.VerifyEmailPage) },
  { path: 'forgot-password', title: $localize`Forgot password · CryptoVault`, loadComponent: () => import('./forgot-password.page').then((m) => m.ForgotPasswordPage) },
  {
    path: 'confirm-email-change',
    title: $localize`Confirm email change · CryptoVault`,
    loadComponent: () => import('./confirm-email-change.page').then((m) => m.ConfirmEmailChangePage),
  },
  { path: 'reset-password', title: $localize`Reset password · CryptoVault`, loadComponent: () => import('./reset-password.page').then((m) => m.ResetPasswordPage) },
] satisfies Routes;
