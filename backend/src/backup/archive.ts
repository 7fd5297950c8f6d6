import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { BackupManifest, parseManifest } from './manifest';

/**
 * A backup archive: one age file (https://age-encryption.org/v1) whose plaintext is
 *
 *   the dump (pg_dump's custom format, or PGlite's data directory as a .tar.gz)
 *   the manifest (JSON, UTF-8)
 *   the manifest's length (8 bytes, big-endian)
 *   TRAILER_MAGIC
 *
 * The manifest (with the dump's SHA-256) is inside the encryption, so it is authenticated with the dump: age's header
 * MAC and its per-chunk Poly1305 tags refuse any changed, reordered, cut or appended byte, and a manifest swapped for
 * another archive's no longer matches its dump. The manifest goes after the dump so the dump streams from pg_dump
 * into the encryption without ever touching the disk in the clear.
 */
const TRAILER_MAGIC = Buffer.from('\nCRYPTOVAULT-BACKUP-1\n', 'ascii');
const TRAILER_BYTES = 8 + TRAILER_MAGIC.length;
/** A manifest is a few kilobytes; anything claiming more is not one of ours. */
const MAX_MANIFEST_BYTES = 1 << 20;

/** What the backup or restore refuses, with the message an operator reads (exit code 1, no stack). */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

type AgeModule = typeof import('age-encryption');

/**
 * age-encryption (typage, by age's author) is ESM-only; the backend compiles to CommonJS, where TypeScript (module
 * nodenext) keeps this `import()` as it is. The CLIs run from backend/dist, not the server bundle (see
 * database/pglite-template.ts loadPglite for why the bundle avoids `import()`).
 */
export function loadAge(): Promise<AgeModule> {
  return import('age-encryption');
}

/** The dump as it streams out, and what the manifest needs to know of it once it ended. */
export interface DumpSource {
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
  /** Resolves when the producer finished well (e.g. pg_dump exited 0); rejects otherwise, which aborts the archive. */
  done: Promise<void>;
}

/**
 * Streams `dump` through the encryption into `path` (written as `path.partial`, renamed once complete and flushed),
 * then the manifest that `manifestFor` makes from the dump's size and SHA-256. Nothing is left at `path` on failure.
 */
export async function writeArchive(
  path: string,
  recipients: string[],
  dump: DumpSource,
  manifestFor: (dump: { bytes: number; sha256: string }) => Promise<BackupManifest>,
): Promise<{ manifest: BackupManifest; bytes: number; sha256: string }> {
  if (!recipients.length) throw new BackupError('BACKUP_AGE_RECIPIENTS is not set: name the age public keys (age1…) that may read the backups');
  const age = await loadAge();
  const encrypter = new age.Encrypter();
  for (const r of recipients) encrypter.addRecipient(r);

  let manifest: BackupManifest | undefined;
  async function* plaintext(): AsyncGenerator<Uint8Array> {
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const chunk of dump.chunks) {
      hash.update(chunk);
      bytes += chunk.length;
      yield chunk;
    }
    await dump.done;
    // Restore refuses an empty dump, so a backup must never claim one: better no archive than one that restores nothing.
    if (bytes === 0) throw new BackupError('the database dump came out empty (the dump tool exited well but wrote nothing); no archive was written');
    manifest = await manifestFor({ bytes, sha256: hash.digest('hex') });
    const json = Buffer.from(JSON.stringify(manifest), 'utf8');
    const length = Buffer.alloc(8);
    length.writeBigUInt64BE(BigInt(json.length));
    yield Buffer.concat([json, length, TRAILER_MAGIC]);
  }

  const partial = `${path}.partial`;
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    const input = Readable.toWeb(Readable.from(plaintext())) as unknown as ReadableStream<Uint8Array>;
    const encrypted = await encrypter.encrypt(input);
    const counted = async function* (source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
      for await (const chunk of source) {
        hash.update(chunk);
        bytes += chunk.length;
        yield chunk;
      }
    };
    await pipeline(Readable.fromWeb(encrypted as unknown as WebReadableStream<Uint8Array>), counted, createWriteStream(partial, { mode: 0o600 }));
    const handle = await open(partial, 'r');
    await handle.sync().finally(() => handle.close());
    await rename(partial, path);
  } catch (e) {
    await rm(partial, { force: true });
    throw e;
  }
  return { manifest: manifest!, bytes, sha256: hash.digest('hex') };
}

/** Reads an age identity file: its `AGE-SECRET-KEY-1…` lines (comments and blank lines skipped). */
export function identitiesIn(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.startsWith('AGE-SECRET-KEY-'));
}

/**
 * Decrypts `archivePath` into `plainPath` (a private temporary file), whole, then checks the trailer, the manifest and
 * the dump's SHA-256. Only when every check passed does it answer: a wrong key, a damaged, cut or tampered archive is
 * refused before anything is restored. The dump is then `plainPath`'s first `manifest.dump.bytes` bytes.
 */
export async function openArchive(archivePath: string, identities: string[], plainPath: string): Promise<BackupManifest> {
  if (!identities.length) throw new BackupError('no age identity (AGE-SECRET-KEY-1…) in the identity file');
  const age = await loadAge();
  const decrypter = new age.Decrypter();
  for (const id of identities) decrypter.addIdentity(id);
  try {
    const input = Readable.toWeb(createReadStream(archivePath)) as unknown as ReadableStream<Uint8Array>;
    const plain = await decrypter.decrypt(input);
    await pipeline(Readable.fromWeb(plain as unknown as WebReadableStream<Uint8Array>), createWriteStream(plainPath, { mode: 0o600 }));
  } catch (e) {
    const message = (e as Error).message ?? String(e);
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new BackupError(`no archive at ${archivePath}`);
    if (/no identity matched/i.test(message)) {
      throw new BackupError(`the identity does not open this archive (wrong key: it was encrypted to other recipients); nothing was restored`);
    }
    throw new BackupError(`the archive is damaged or was tampered with (${message}); nothing was restored`);
  }
  return verifyPlaintext(plainPath);
}

async function verifyPlaintext(plainPath: string): Promise<BackupManifest> {
  const handle = await open(plainPath, 'r');
  try {
    const { size } = await handle.stat();
    const refuse = (why: string): never => {
      throw new BackupError(`the archive decrypted but is not a CryptoVault backup (${why}); nothing was restored`);
    };
    if (size < TRAILER_BYTES) refuse('too short');
    const trailer = Buffer.alloc(TRAILER_BYTES);
    await handle.read(trailer, 0, TRAILER_BYTES, size - TRAILER_BYTES);
    if (!trailer.subarray(8).equals(TRAILER_MAGIC)) refuse('no trailer');
    const length = trailer.readBigUInt64BE(0);
    if (length > BigInt(MAX_MANIFEST_BYTES) || length > BigInt(size - TRAILER_BYTES)) refuse('bad manifest length');
    const json = Buffer.alloc(Number(length));
    const dumpBytes = size - TRAILER_BYTES - json.length;
    await handle.read(json, 0, json.length, dumpBytes);
    let manifest: BackupManifest;
    try {
      manifest = parseManifest(JSON.parse(json.toString('utf8')));
    } catch (e) {
      return refuse(`manifest: ${(e as Error).message}`);
    }
    if (manifest.dump.bytes !== dumpBytes) refuse(`the dump is ${dumpBytes} bytes, the manifest says ${manifest.dump.bytes}`);
    if (dumpBytes === 0) refuse('the dump is empty');
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(plainPath, { start: 0, end: dumpBytes - 1 })) hash.update(chunk as Buffer);
    if (hash.digest('hex') !== manifest.dump.sha256) refuse('the dump does not match the SHA-256 in its manifest');
    return manifest;
  } finally {
    await handle.close();
  }
}
