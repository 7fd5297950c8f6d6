// What a build was made from, so that `npm start` and `npm test` skip a build whose inputs are unchanged: a hash over
// the content of every input file (tracked or not) and the list of their names. Content, not times: a `git checkout`
// of another commit and back, a copy that keeps old times or a clock that went back all leave times that say nothing
// about content. Used by backend/scripts/build.mjs and frontend/scripts/client.mjs; reading and hashing their some
// 1,250 files takes about 0.1 s.
//
// The stamp also records the outputs as the build left them (size and time of a few files): when anything else
// rewrote or removed them since (another checkout's build, `nest start --watch`, rm -rf dist), the build runs.
// Whatever this cannot tell errs on the side of building.
//
// A build that fails or is interrupted never leaves a stamp that claims it: the stamp is removed before a build
// starts and written (to a temporary file, then renamed over) only after it succeeded (`buildUnlessCurrent`).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

/**
 * The hash of `inputs` (files or directories, walked whole; paths relative to `root`), skipping entries whose name
 * matches `skip`. A missing input counts as missing (its absence is part of the hash), not as an error.
 */
export function hashInputs(root, inputs, { skip, extra = [] } = {}) {
  const hash = createHash('sha256');
  // Names with `/` whatever the platform, so a stamp means the same everywhere.
  const name = (path) => relative(root, path).split(sep).join('/');
  for (const e of extra) hash.update(`extra\0${e}\0`);
  const files = [];
  const walk = (path) => {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      hash.update(`missing\0${name(path)}\0`);
      return;
    }
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path).sort()) if (!skip?.test(entry)) walk(join(path, entry));
    } else files.push(path);
  };
  for (const input of inputs) walk(join(root, input));
  for (const file of files) {
    let content;
    try {
      content = readFileSync(file);
    } catch {
      // Gone since the walk (an editor's temporary file): as missing.
      hash.update(`missing\0${name(file)}\0`);
      continue;
    }
    hash.update(`file\0${name(file)}\0${content.length}\0`);
    hash.update(content);
  }
  return { hash: hash.digest('hex'), files: files.length };
}

/** Size and time of each output (null when missing): a build's outputs as it left them. */
export function outputsOf(root, outputs) {
  return Object.fromEntries(
    outputs.map((o) => {
      try {
        const s = statSync(join(root, o));
        return [o, `${s.size} ${s.mtimeMs}`];
      } catch {
        return [o, null];
      }
    }),
  );
}

/** Whether the stamp at `file` says the build of `hash` left `outputs` as they are now (all of them present). */
export function isCurrent(file, hash, outputs) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return false; // no stamp, or one of an older format: build
  }
  if (stamp?.inputs !== hash || !stamp.outputs) return false;
  const keys = Object.keys(outputs);
  return keys.length === Object.keys(stamp.outputs).length && keys.every((k) => outputs[k] !== null && stamp.outputs[k] === outputs[k]);
}

/** Written after a build that succeeded, with the hash of its inputs as read before it started. */
export function writeStamp(file, hash, outputs) {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ inputs: hash, outputs, at: new Date().toISOString() }, null, 2)}\n`);
  renameSync(tmp, file);
}

/**
 * Runs `build` (may be async) unless the stamp at `stamp` says a build of the same inputs succeeded and left `outputs`
 * (paths relative to `root`) as they are now. Resolves with whether it built. The inputs are hashed before the build:
 * one changed while it runs leaves a stamp that no longer matches, so the next call builds again. The stamp is
 * removed before `build` starts and written only once it returned: a build that throws, exits or is killed leaves
 * none. `force` builds whatever the stamp says.
 */
export async function buildUnlessCurrent({ root, inputs, skip, extra, outputs, stamp, force = false, build }) {
  const { hash } = hashInputs(root, inputs, { skip, extra });
  if (!force && isCurrent(stamp, hash, outputsOf(root, outputs))) return false;
  rmSync(stamp, { force: true });
  await build();
  writeStamp(stamp, hash, outputsOf(root, outputs));
  return true;
}
