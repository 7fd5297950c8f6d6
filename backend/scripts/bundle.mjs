// Bundles the compiled server (dist/server.js, tsc's output) with its dependencies into dist/server.bundle.js,
// which dist/main.js starts through V8's code cache (src/launcher.ts). Run by `npm run build` (scripts/build.mjs) after tsc,
// whenever the build's inputs changed.
import { build } from 'esbuild';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unwrapInferredNames } from './inferred-names.mjs';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');

/**
 * A few ES-module files of Nest load a package through `createRequire(import.meta.url)`, which esbuild cannot follow:
 * left so, Node would load a second copy of a package the bundle already holds (typeorm whole, for one lookup) and
 * @nestjs/mapped-types would copy validation metadata into the other copy's storage, losing it for `IntersectionType`
 * DTOs. Rewritten to plain `require` calls, they resolve into the bundle like every other import.
 */
const CREATE_REQUIRE = [
  {
    file: /@nestjs[\\/](mapped-types[\\/]dist[\\/]type-helpers\.utils|typeorm[\\/]dist[\\/]common[\\/]typeorm-compat)\.js$/,
    from: /^const require = createRequire\(import\.meta\.url\);$/m,
    to: '',
  },
  { file: /@nestjs[\\/]platform-ws[\\/]adapters[\\/]ws-adapter\.js$/, from: /createRequire\(import\.meta\.url\)\('ws'\)/, to: "require('ws')" },
];
const bundledRequires = {
  name: 'bundled-requires',
  setup(build) {
    for (const { file, from, to } of CREATE_REQUIRE) {
      build.onLoad({ filter: file }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        if (!from.test(source)) throw new Error(`bundle: ${args.path} no longer has ${from}; review the rewrite in scripts/bundle.mjs`);
        return { contents: source.replace(from, to), loader: 'js', resolveDir: dirname(args.path) };
      });
    }
  },
};

const outfile = join(dist, 'server.bundle.js');

// `node scripts/bundle.mjs` bundles; backend/scripts/build.mjs imports `bundle` and calls it after tsc.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await bundle();

export async function bundle() {
  await build({
    plugins: [bundledRequires],
    entryPoints: [join(dist, 'server.js')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // Nest resolves providers and TypeORM entities partly by class name, and logs carry them: names stay as written,
    // also where the bundle renamed a binding (two modules' `Decimal`: one became `Decimal2`). The wrappers this adds
    // where JavaScript names the function by itself anyway are taken out after the build (inferred-names.mjs).
    keepNames: true,
    // The source is held as one string for the process's life (V8 compiles functions lazily from it), and what the code
    // cache keeps grows with it: without whitespace and with shorter syntax, 13.9 MB became 9.4 MB, and the embedded
    // default's idle RSS fell by some 15-25 MB (bench/RESULTS.md, issue 22 goal 5). Identifiers are not shortened: a
    // stack trace names the functions and classes as written; its positions are line:column in this bundle, which
    // never mapped to the TypeScript sources.
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'warning',
    // Left to Node's own loader: native addons (bcrypt), PGlite (loads its WebAssembly and data files from its package
    // directory), and the packages Nest and pg load only when installed (none of them is). Nothing else: a package
    // both bundled and loaded from node_modules would be two copies with two states (class-transformer's metadata
    // storage, which @nestjs/mapped-types requires by path, is one).
    external: [
      'bcrypt',
      '@electric-sql/pglite',
      '@electric-sql/pglite/*',
      'pg-native',
      // TypeORM loads its driver by name at run time (PlatformTools.load); the bundle's own imports of pg share it.
      'pg',
      '@nestjs/microservices',
      '@nestjs/microservices/*',
      '@nestjs/platform-socket.io',
      '@fastify/*',
      'cache-manager',
      // @nestjs/mapped-types' fallback for class-transformer < 0.5 (ours has cjs/storage, which is bundled).
      'class-transformer/storage',
      // Statements' PDFs (reports/statements): loaded on the first one, with its font data read from its package.
      'pdfkit',
    ],
    // ES-module packages (NestJS 12 among them) read import.meta.url, e.g. @nestjs/swagger to find swagger-ui-dist; in
    // the CommonJS bundle it is the bundle's own URL, which resolves packages from the same node_modules.
    banner: { js: "const __cv_import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
    define: { 'import.meta.url': '__cv_import_meta_url' },
  });
  await withoutRedundantNames(outfile);
  await asciiOnly(outfile);
}

/** The bundle without keepNames' `__name(fn, "name")` calls where JavaScript gives the same name (inferred-names.mjs). */
async function withoutRedundantNames(file) {
  const { source } = unwrapInferredNames(await readFile(file, 'utf8'));
  await writeFile(file, source);
}

/**
 * esbuild escapes non-ASCII characters in strings but not in comments and regular-expression literals (validator's
 * alphabets, for one). A single character above U+00FF makes V8 hold the whole source as a two-byte string: 28 MB
 * instead of 14 MB, kept for the process's life (V8 compiles functions lazily from it). `\uXXXX` means the same
 * character in a regular expression, a string and an identifier, and nothing in a comment; where it would mean
 * something else, the build fails instead.
 */
async function asciiOnly(file) {
  const source = await readFile(file, 'utf8');
  // Where an escape would not mean the same: outside the BMP, an escaped character (`\é`), a line separator (which ends a
  // `//` comment, where its escape would not).
  if (/[\u{10000}-\u{10FFFF}\u2028\u2029]|\\[^\x00-\x7f]/u.test(source)) {
    throw new Error(`bundle: ${file} has a character asciiOnly cannot escape as it is; review it in scripts/bundle.mjs`);
  }
  const ascii = source.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (ascii !== source) await writeFile(file, ascii);
}
