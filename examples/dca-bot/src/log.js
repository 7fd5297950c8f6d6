/**
 * One JSON object a line on stdout: `{"time":"…","level":"info","msg":"…",…}`. The private key and the webhook secret
 * are never passed here (config.js keeps them out of what it describes).
 * @param {'info' | 'warn' | 'error'} level
 * @param {string} msg
 * @param {Record<string, unknown>} [fields]
 */
export function log(level, msg, fields = {}) {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`);
}
