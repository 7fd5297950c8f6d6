import { createServer } from 'node:http';
import express from 'express';

/**
 * Baselines for bench/http-read.ts: the same JSON body from a bare Express 5 (at ROUTE, default
 * `/api/crypto`) or a bare Node `http` server (any path). The Express one does nothing with an
 * Authorization header: against the app's authenticated read it shows the platform's whole cost
 * (JWT guard, throttler, the database read) over a bare answer of the same bytes.
 */
const body = process.env.BODY ?? '{}';
const route = process.env.ROUTE ?? '/api/crypto';
const port = Number(process.env.PORT);
if (process.env.KIND === 'express') {
  const app = express();
  app.get(route, (_req, res) => {
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
