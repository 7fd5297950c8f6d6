// For the start benches (cold-start.mjs, server-start.mjs): a built backend script started on a free port, resolved
// once its /health answers 200, with the milliseconds that took.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

export const freePort = () =>
  new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });

/**
 * Spawns `node <script>` (`sh <script>` for a shell script: backend/scripts/run.sh, which execs node in the same
 * process) with `env` (PORT and HOST set here) and waits for /health 200; returns { child, ms }.
 */
export async function startBackend(script, env) {
  const port = await freePort();
  const started = performance.now();
  const [command, args] = script.endsWith('.sh') ? ['sh', [script]] : [process.execPath, [script]];
  const child = spawn(command, args, { env: { ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: 'ignore' });
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) break;
    } catch {
      /* not up yet */
    }
    if (performance.now() - started > 120_000) throw new Error('no /health within 120 s');
    await new Promise((r) => setTimeout(r, 25));
  }
  return { child, port, ms: performance.now() - started };
}

/** SIGTERM, and the exit. */
export async function stopBackend(child) {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}
