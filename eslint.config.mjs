// Type-aware lint for the backend and the tests. Formatting is Prettier's job (`npm run format:check`).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { dirname, relative, resolve, sep } from 'node:path';

const SRC = resolve(import.meta.dirname, 'backend/src');

/** Wiring, not domains: the command-line entry points and the files at the top of backend/src (main, app.module…). */
const NOT_A_DOMAIN = new Set(['cli']);

/** The domain (first folder under backend/src) of an absolute path, or undefined outside backend/src and for wiring. */
function domainOf(file) {
  const rel = relative(SRC, file);
  if (rel.startsWith('..')) return undefined;
  const parts = rel.split(sep);
  if (parts.length === 1 || NOT_A_DOMAIN.has(parts[0])) return undefined;
  return parts[0];
}

/** Only these may touch TypeORM's data access and write SQL: repositories, the database plumbing, the CLIs. */
const DATA_ACCESS_FILES = ['backend/src/**/*.repository.ts', 'backend/src/database/**', 'backend/src/cli/**'];
const TYPEORM_DATA_ACCESS = ['DataSource', 'EntityManager', 'Repository', 'QueryRunner', 'SelectQueryBuilder'];
const NEST_TYPEORM_DATA_ACCESS = ['InjectDataSource', 'InjectRepository', 'InjectEntityManager', 'getDataSourceToken', 'getRepositoryToken'];

/** Floors: a domain on a lower floor imports nothing from the ones above it. */
const ABOVE_THE_LEDGER = ['orders', 'convert', 'wallet', 'portfolio', 'transactions', 'alerts', 'recurring-buys', 'watchlist', 'admin', 'triggers', 'prices', 'notifications', 'auth', 'fx', 'reports', 'reserves', 'account'];

const house = {
  rules: {
    'repository-owner': {
      meta: { type: 'problem', messages: { foreign: "'{{source}}' is the {{owner}} domain's repository: reach its data through a reader the {{owner}} domain exports" } },
      create(context) {
        const here = domainOf(context.filename);
        return {
          ImportDeclaration(node) {
            const source = node.source.value;
            if (!here || !source.startsWith('.') || !/\.repository$/.test(source)) return;
            const owner = domainOf(resolve(dirname(context.filename), source));
            if (owner && owner !== here && owner !== 'database') context.report({ node, messageId: 'foreign', data: { source, owner } });
          },
        };
      },
    },
  },
};

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'frontend/**', 'bench/**', '**/*.js', '**/*.mjs', 'clients/node/src/generated/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['backend/src/**/*.ts', 'e2e/**/*.ts', 'clients/node/src/**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'off',
      'no-console': 'error',
    },
  },
  // Data access lives in repositories: services, controllers and everything else get no SQL and no TypeORM handle.
  {
    files: ['backend/src/**/*.ts'],
    ignores: [...DATA_ACCESS_FILES, 'backend/src/**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'typeorm', importNames: TYPEORM_DATA_ACCESS, message: 'Data access belongs in a *.repository.ts; services run transactions through UnitOfWork and pass Tx.' },
            { name: '@nestjs/typeorm', importNames: NEST_TYPEORM_DATA_ACCESS, message: 'Inject repositories, not TypeORM handles, outside *.repository.ts.' },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name='query']", message: 'SQL belongs in the owning domain\'s *.repository.ts.' },
        { selector: "CallExpression[callee.property.name=/^(createQueryBuilder|getRepository|createQueryRunner)$/]", message: 'Data access belongs in a *.repository.ts.' },
      ],
    },
  },
  // No domain imports another domain's repository.
  { files: ['backend/src/**/*.ts'], plugins: { house }, rules: { 'house/repository-owner': 'error' } },
  // The ledger is the ground floor for money: it imports nothing from the domains built on it.
  {
    files: ['backend/src/ledger/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: `(^|/)(${ABOVE_THE_LEDGER.join('|')})/`, message: 'The ledger imports no domain above it.' }] }],
    },
  },
  {
    files: ['backend/src/**/*.spec.ts', 'e2e/**/*.ts', 'clients/node/src/**/*.spec.ts'],
    rules: { 'no-console': 'off' },
  },
);
