// Precompressed copies of the built client's text files, for the backend to send as they are
// (backend/src/common/middleware/web-client.middleware.ts picks one by the request's Accept-Encoding):
// beside each text file of at least MIN_BYTES, `<file>.br` (brotli, quality 11, text mode) and `<file>.gz`
// (gzip, level 9), each written only when it is smaller than the file. Compressing once here costs no CPU per request.
//   node frontend/scripts/precompress.mjs [dir]    (default: dist/frontend/browser)
// Run by `node frontend/scripts/client.mjs build` after the Angular build, before it writes its stamp.
// `ng build` empties its output directory first, so no copy outlives the file it was made from.
import { readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

/** The text files worth compressing; images, fonts and icons are compressed already or gain little. */
export const TEXT_FILE = /\.(?:js|mjs|css|html|svg|json|txt|webmanifest|xml|map)$/;
/** Below this, the bytes saved do not pay for the header and the decoding. */
export const MIN_BYTES = 1024;

const br = promisify(brotliCompress);
const gz = promisify(gzip);

async function* textFiles(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* textFiles(path);
    else if (entry.isFile() && TEXT_FILE.test(entry.name)) yield path;
  }
}

/**
 * Writes `.br` and `.gz` beside every text file of `dir` (recursively) of at least MIN_BYTES, in parallel on zlib's
 * thread pool. A copy that would not be smaller is not written (and an older one removed). Resolves with counts and
 * byte totals.
 */
export async function precompress(dir) {
  const totals = { files: 0, raw: 0, br: 0, gz: 0 };
  const jobs = [];
  for await (const path of textFiles(dir)) {
    jobs.push(
      (async () => {
        const bytes = await readFile(path);
        if (bytes.length < MIN_BYTES) return;
        const [brotli, gzipped] = await Promise.all([
          br(bytes, {
            params: {
              [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
              [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
              [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
            },
          }),
          gz(bytes, { level: constants.Z_BEST_COMPRESSION }),
        ]);
        totals.files += 1;
        totals.raw += bytes.length;
        for (const [ext, out] of [
          ['br', brotli],
          ['gz', gzipped],
        ]) {
          if (out.length < bytes.length) {
            // Whole or not at all: a server reading the directory meanwhile never sends half a file.
            const tmp = `${path}.${ext}.${process.pid}.tmp`;
            await writeFile(tmp, out);
            await rename(tmp, `${path}.${ext}`);
            totals[ext] += out.length;
          } else {
            await rm(`${path}.${ext}`, { force: true });
            totals[ext] += bytes.length;
          }
        }
      })(),
    );
  }
  await Promise.all(jobs);
  return totals;
}

/** `precompress(dir)`, timed, as one line for the build's log. */
export async function precompressAndReport(dir) {
  const started = performance.now();
  const t = await precompress(dir);
  const kB = (n) => `${(n / 1000).toFixed(1)} kB`;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  return `precompressed ${t.files} text files (${kB(t.raw)}): brotli ${kB(t.br)}, gzip ${kB(t.gz)}, in ${seconds} s`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(await precompressAndReport(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'frontend', 'browser')));
}
