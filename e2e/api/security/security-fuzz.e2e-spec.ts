import request from 'supertest';
import { useAppSuite } from '../../support/suite';
import { createUser, TestUser } from '../../support/factories';

/**
 * Issue 14 acceptance: a fuzz over every operation of the app's own /openapi.json,
 * as a user and as an admin (signed in, CSRF token set, rate limits lifted so the
 * requests reach validation): bodies nested 10,000 deep, 900 KB strings, wrong
 * types, unknown fields and non-object bodies; garbage ids and cursors (those of
 * item 3 among them) in path and query parameters; garbage in header parameters.
 * No 5xx, no stack trace or file path in any response; every operation with a body
 * refuses its garbage with 400; the server answers /health afterwards.
 *
 * Bounded: a handful of requests per operation and parameter (~550 per role).
 */

type Schema = { $ref?: string; type?: string; properties?: Record<string, Schema>; items?: Schema; enum?: unknown[]; allOf?: Schema[] };
interface Parameter {
  in: 'path' | 'query' | 'header';
  name: string;
  schema?: Schema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const cursorOf = (createdAt: string, id: string): string => Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');

/** Ids no route may turn into a database error: item 3's, and the classics. */
const GARBAGE_IDS = ['-'.repeat(36), '9999999999999999999', "1' OR '1'='1", '..%2F..%2Fetc%2Fpasswd', 'x'.repeat(2_000), '%00', '-1', '1e309'];
/** Cursors as item 3 found them: ids not of the list's key type, a date PostgreSQL cannot hold, not base64 JSON. */
const GARBAGE_CURSORS = [
  cursorOf('2026-01-01T00:00:00.000Z', 'not-a-uuid'),
  cursorOf('2026-01-01T00:00:00.000Z', '-'.repeat(36)),
  cursorOf('2026-01-01T00:00:00.000Z', '9999999999999999999'),
  cursorOf('-200000-01-01T00:00:00.000Z', '00000000-0000-4000-8000-000000000000'),
  '%%%not-base64%%%',
];
/** Dates JavaScript holds and PostgreSQL does not (22008), and no date at all. */
const GARBAGE_DATES = ['-200000-01-01', '-9999-01-01T00:00:00Z', '+275760-09-13T00:00:00Z', 'NaN'];
/** Anything else: too long, not a number, a number JavaScript cannot hold. */
const GARBAGE_VALUES = ['x'.repeat(3_000), '1e309', '-1'];

function garbageFor(param: Parameter): string[] {
  if (param.name === 'cursor') return GARBAGE_CURSORS;
  if (/^(from|to|since|until|before|after)$/.test(param.name) || (param.schema as { format?: string } | undefined)?.format === 'date-time')
    return GARBAGE_DATES;
  return GARBAGE_VALUES;
}

/**
 * The routes that can end the session under test: POST /api/auth/logout (ends it whatever it is sent),
 * and the sessions routes (DELETE /api/auth/sessions/{id}, and any "sign out everywhere" or account
 * removal route added later). They are fuzzed too, but last for each role (which has its own session),
 * so every other request of that role runs signed in (checked with GET /api/auth/me just before).
 */
const ENDS_SESSION = /\/auth\/(logout|sessions)|revoke|delete-account|close-account/;

/** A stack frame, a source or module path, a SQL state or a driver message: nothing of the inside may leak. */
const LEAK =
  /\n\s+at |\bat [\w$.<>]+ \(|\/(work|home|src|dist|node_modules)\/|\.[jt]s:\d+\b|SQLSTATE|QueryFailedError|invalid input syntax|duplicate key|Maximum call stack/i;

function resolve(spec: OpenApi, schema: Schema | undefined): Schema | undefined {
  let s = schema;
  for (let i = 0; s?.$ref && i < 10; i++) s = spec.components.schemas[s.$ref.replace('#/components/schemas/', '')];
  if (s?.allOf) return { type: 'object', properties: Object.assign({}, ...s.allOf.map((x) => resolve(spec, x)?.properties ?? {})) as Record<string, Schema> };
  return s;
}

/** A value of some other type than the schema's. */
function wrongType(spec: OpenApi, schema: Schema | undefined): unknown {
  const s = resolve(spec, schema);
  if (s?.enum) return { not: 'one of the values' };
  switch (s?.type) {
    case 'string':
      return { $gt: '' };
    case 'number':
    case 'integer':
      return 'not-a-number';
    case 'boolean':
      return 'yes';
    case 'array':
      return 'not-an-array';
    default:
      return 12345;
  }
}

interface Case {
  what: string;
  send: (t: request.Test) => request.Test;
  path?: string;
}

function bodyCases(spec: OpenApi, op: Operation): Case[] {
  if (!op.requestBody) return [];
  const schema = resolve(spec, op.requestBody.content['application/json']?.schema);
  const props = Object.keys(schema?.properties ?? {});
  const first = props[0] ?? 'x';
  const json = (text: string) => (t: request.Test) => t.set('Content-Type', 'application/json').send(text);
  const wrong: Record<string, unknown> = {};
  for (const p of props) wrong[p] = wrongType(spec, schema?.properties?.[p]);
  const firstString = props.find((p) => resolve(spec, schema?.properties?.[p])?.type === 'string') ?? first;
  return [
    { what: 'unknown fields', send: json('{"zzUnknownField":1,"constructor":{"prototype":{"polluted":true}},"__proto__":{"polluted":true}}') },
    { what: 'wrong types', send: json(JSON.stringify(props.length ? wrong : { x: 1 })) },
    { what: 'an array body', send: json(JSON.stringify([{ [first]: 'x' }, 1, null])) },
    { what: 'a scalar body', send: json('"just a string"') },
    { what: 'a 900 KB string', send: json(JSON.stringify({ [firstString]: 'x'.repeat(900 * 1024) })) },
    { what: 'nesting 10,000 deep', send: json(`{"${first}":${'['.repeat(10_000)}${']'.repeat(10_000)}}`) },
  ];
}

function parameterCases(op: Operation, template: string): Case[] {
  const params = op.parameters ?? [];
  const pathParams = params.filter((p) => p.in === 'path');
  const queryParams = params.filter((p) => p.in === 'query');
  const headerParams = params.filter((p) => p.in === 'header');
  const fill = (value: string): string => pathParams.reduce((p, param) => p.replace(`{${param.name}}`, encodeURIComponent(value)), template);
  const cases: Case[] = [];
  if (pathParams.length) {
    for (const id of GARBAGE_IDS) cases.push({ what: `path ${id.slice(0, 40)}`, path: fill(id), send: (t) => t });
  }
  const base = pathParams.length ? fill('00000000-0000-4000-8000-000000000000') : template;
  if (queryParams.length) {
    // One parameter at a time (the others absent), so no other parameter's 400 hides what this one does.
    for (const param of queryParams) {
      for (const value of garbageFor(param))
        cases.push({ what: `query ${param.name}=${value.slice(0, 40)}`, path: base, send: (t) => t.query({ [param.name]: value }) });
    }
    // Every parameter twice (an array where a string is expected).
    const twice = queryParams.map((p) => `${p.name}=1&${p.name}=2`).join('&');
    cases.push({ what: 'query parameters repeated', path: `${base}?${twice}`, send: (t) => t });
  }
  // Every operation, also those without parameters: a long unknown query parameter.
  cases.push({ what: 'an unknown query parameter', path: `${base}?zzUnknown=${'x'.repeat(3_000)}`, send: (t) => t });
  if (headerParams.length) {
    cases.push({
      what: 'header garbage',
      path: base,
      send: (t) => headerParams.reduce((acc, h) => acc.set(h.name, 'x'.repeat(5_000)), t),
    });
  }
  return cases;
}

describe('security: fuzz every operation of the OpenAPI document as a user and as an admin', () => {
  // Rate limits lifted (request limits scale 100,000×) so every request reaches validation.
  const suite = useAppSuite({ RATE_LIMIT_SCALE: '100000' });
  let spec: OpenApi;
  let user: TestUser;
  let admin: TestUser;

  beforeAll(async () => {
    spec = (await request(suite.app.url).get('/openapi.json').expect(200)).body as OpenApi;
    admin = await createUser(suite.app, suite.mail, { admin: true });
    user = await createUser(suite.app, suite.mail);
  });

  /** Signed in with the session cookie and the bearer token, the CSRF cookie echoed in its header, from the app's own origin. */
  async function signedIn(who: TestUser): Promise<(t: request.Test) => request.Test> {
    const csrf = await request(suite.app.url).get('/api/csrf').set('Cookie', `access_token=${who.accessToken}`).expect(200);
    const token = csrf.body.csrfToken as string;
    const cookies = [`access_token=${who.accessToken}`, `csrf_token=${token}`];
    return (t) => t.set(who.auth).set('Cookie', cookies).set('X-CSRF-Token', token).set('Origin', suite.app.url);
  }

  async function fuzz(who: TestUser, role: string): Promise<void> {
    const auth = await signedIn(who);
    const failures: string[] = [];
    const bodyStatuses = new Map<string, number[]>();
    const operations: [string, string, Operation][] = [];
    for (const [path, ops] of Object.entries(spec.paths)) for (const [method, op] of Object.entries(ops)) operations.push([method, path, op]);
    // Session-ending routes last, so everything before runs signed in.
    operations.sort(([, a], [, b]) => Number(ENDS_SESSION.test(a)) - Number(ENDS_SESSION.test(b)));
    expect(operations.length).toBeGreaterThan(60);

    let sessionChecked = false;
    const touched = new Set<string>();
    for (const [method, template, op] of operations) {
      const name = `${method.toUpperCase()} ${template}`;
      if (!sessionChecked && ENDS_SESSION.test(template)) {
        // Everything so far ran signed in: the garbage did not end the session by the way.
        await auth(request(suite.app.url).get('/api/auth/me')).expect(200);
        sessionChecked = true;
      }
      const cases = [...parameterCases(op, template), ...bodyCases(spec, op)];
      if (cases.length) touched.add(name);
      for (const c of cases) {
        const url = c.path ?? template.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
        const agent = request(suite.app.url) as unknown as Record<string, (u: string) => request.Test>;
        let res: request.Response;
        try {
          res = await c.send(auth(agent[method](url)));
        } catch (e) {
          failures.push(`${role} ${name} with ${c.what}: no answer (${(e as Error).message})`);
          continue;
        }
        if (res.status >= 500) failures.push(`${role} ${name} with ${c.what}: ${res.status} ${res.text.slice(0, 200)}`);
        if (LEAK.test(res.text)) failures.push(`${role} ${name} with ${c.what}: leaks internals: ${res.text.slice(0, 300)}`);
        if (op.requestBody && !c.path) bodyStatuses.set(name, [...(bodyStatuses.get(name) ?? []), res.status]);
      }
    }
    for (const [name, statuses] of bodyStatuses)
      if (!statuses.includes(400)) failures.push(`${role} ${name}: no body case answered 400 (${statuses.join(', ')})`);
    expect(failures).toEqual([]);
    expect(sessionChecked).toBe(true);
    expect(touched.size).toBe(operations.length);
    expect(bodyStatuses.size).toBeGreaterThan(20);
  }

  it('answers every garbage request to every operation as a user without a 5xx or a leak, and refuses bad bodies with 400', async () => {
    await fuzz(user, 'user');
  });

  it('does the same as an admin', async () => {
    await fuzz(admin, 'admin');
  });

  it('is healthy afterwards', async () => {
    await request(suite.app.url).get('/health').expect(200, { status: 'ok' });
    const fresh = await createUser(suite.app, suite.mail);
    await request(suite.app.url).get('/api/wallet/balance').set(fresh.auth).expect(200);
  });
});
