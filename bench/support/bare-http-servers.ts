import { createServer } from 'node:http';
import express from 'express';

/** Baselines for bench/http-read.ts: the same JSON body from a bare Express 5 or a bare Node `http` server. */
const body = process.env.BODY ?? '{}';
const port = Number(process.env.PORT);
if (process.env.KIND === 'express') {
  const app = express();
  app.get('/api/crypto', (_req, res) => {
    res.type('application/json').send(body);
  });
  app.listen(port, '127.0.0.1', () => process.send?.('ready'));
} else {
  createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  }).listen(port, '127.0.0.1', () => process.send?.('ready'));
}
process.on('SIGTERM', () => process.exit(0));
