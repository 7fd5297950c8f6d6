import type { AsyncApiDocument, JsonSchema } from './asyncapi-document';

const escape = (s: unknown): string => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** `code` spans for the backticks of the document's descriptions (its only markup). */
const prose = (s: unknown): string => escape(s ?? '').replace(/`([^`]+)`/g, '<code>$1</code>');

const anchor = (kind: string, name: string): string => `${kind}-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;

/** A schema's type in a few words, with a link for a reference. */
function typeOf(schema: JsonSchema): string {
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.split('/').pop()!;
    return `<a href="#${anchor('schema', name)}">${escape(name)}</a>`;
  }
  if (schema.const !== undefined) return `<code>${escape(JSON.stringify(schema.const))}</code>`;
  if (Array.isArray(schema.enum)) return `one of ${schema.enum.map((v) => `<code>${escape(JSON.stringify(v))}</code>`).join(', ')}`;
  if (Array.isArray(schema.allOf) && schema.allOf.length === 1) return typeOf(schema.allOf[0] as JsonSchema);
  if (Array.isArray(schema.oneOf)) return (schema.oneOf as JsonSchema[]).map(typeOf).join(' or ');
  const type = Array.isArray(schema.type) ? schema.type.join(' or ') : String(schema.type ?? 'any');
  if (schema.type === 'array' && schema.items) return `array of ${typeOf(schema.items as JsonSchema)}`;
  if (schema.type === 'object' && schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    return `object: ${typeOf(schema.additionalProperties as JsonSchema)} by key`;
  }
  const details = [schema.format, schema.pattern ? `pattern <code>${escape(schema.pattern)}</code>` : undefined].filter(Boolean);
  return `${escape(type)}${details.length ? ` (${details.map((d) => (String(d).startsWith('pattern') ? d : escape(d))).join(', ')})` : ''}`;
}

/** One row per property (nested objects indented), so a reader sees the payload without reading JSON Schema. */
function propertyRows(schema: JsonSchema, prefix = ''): string {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(properties)
    .map(([name, p]) => {
      const row =
        `<tr><td><code>${escape(prefix + name)}</code></td><td>${required.has(name) ? 'yes' : ''}</td>` +
        `<td>${typeOf(p)}</td><td>${prose(p.description ?? '')}</td></tr>`;
      const nested = p.type === 'object' && p.properties ? propertyRows(p, `${prefix}${name}.`) : '';
      const quote =
        p.type === 'object' && p.additionalProperties && typeof p.additionalProperties === 'object'
          ? propertyRows(p.additionalProperties as JsonSchema, `${prefix}${name}.*.`)
          : '';
      return row + nested + quote;
    })
    .join('');
}

function propertyTable(schema: JsonSchema): string {
  const rows = propertyRows(schema);
  return rows ? `<table><thead><tr><th>field</th><th>required</th><th>type</th><th>meaning</th></tr></thead><tbody>${rows}</tbody></table>` : '';
}

const STYLE = `
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1b1f24;background:#fff}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{margin-top:0}h2{border-bottom:1px solid #d0d7de;padding-bottom:4px;margin-top:40px}
h3{margin-bottom:4px}
code{background:#f2f4f7;padding:1px 4px;border-radius:3px;font-size:13px}
pre{background:#f6f8fa;padding:12px;overflow-x:auto;font-size:13px}
table{border-collapse:collapse;width:100%;margin:8px 0;display:block;overflow-x:auto}
th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}
.badge{display:inline-block;font-size:12px;font-weight:600;padding:1px 6px;border-radius:10px;margin-right:6px}
.send{background:#ddf4ff;color:#0550ae}.receive{background:#fff1e5;color:#953800}
nav a{margin-right:12px}
`;

/**
 * `/docs/asyncapi`: the AsyncAPI document as a page (channels, what each direction carries, every
 * message's fields, the shared schemas). Plain HTML and one style element, no script: it renders under
 * the app's CSP (script-src 'self'), and nothing is fetched.
 */
export function renderAsyncApiPage(doc: AsyncApiDocument): string {
  const ops = Object.values(doc.operations) as {
    action: 'send' | 'receive';
    channel: { $ref: string };
    messages: { $ref: string }[];
    reply?: { messages: { $ref: string }[] };
  }[];
  const componentOf = (channel: string, ref: string) => doc.channels[channel].messages[ref.split('/').pop()!].$ref.split('/').pop()!;
  const messageLink = (channel: string, ref: string) => {
    const name = componentOf(channel, ref);
    return `<a href="#${anchor('message', name)}"><code>${escape(doc.components.messages[name].name)}</code></a>`;
  };

  const servers = Object.entries(doc.servers)
    .map(([name, s]) => {
      const server = s as { host: string; protocol: string; description?: string };
      return `<tr><td>${escape(name)}</td><td><code>${escape(server.protocol)}://${escape(server.host)}</code></td><td>${prose(server.description)}</td></tr>`;
    })
    .join('');

  const channels = Object.entries(doc.channels)
    .map(([id, c]) => {
      const mine = ops.filter((o) => o.channel.$ref === `#/channels/${id}`);
      const list = (action: 'send' | 'receive') =>
        mine
          .filter((o) => o.action === action)
          .map((o) => {
            const replies = o.reply ? ` → ${o.reply.messages.map((r) => messageLink(id, r.$ref)).join(' or ')}` : '';
            return `<li>${o.messages.map((m) => messageLink(id, m.$ref)).join(', ')}${replies}</li>`;
          })
          .join('');
      const params = c.parameters
        ? `<p>Parameters: ${Object.entries(c.parameters)
            .map(([p, v]) => `<code>{${escape(p)}}</code>: ${prose((v as { description?: string }).description)}`)
            .join('; ')}</p>`
        : '';
      return (
        `<section id="${anchor('channel', id)}"><h3><code>${escape(c.address)}</code> — ${escape(c.title)}</h3><p>${prose(c.description)}</p>${params}` +
        `<p><span class="badge send">server sends</span></p><ul>${list('send')}</ul>` +
        `<p><span class="badge receive">client sends</span></p><ul>${list('receive')}</ul></section>`
      );
    })
    .join('');

  const messages = Object.entries(doc.components.messages)
    .map(
      ([id, m]) =>
        `<section id="${anchor('message', id)}"><h3><code>${escape(m.name)}</code> — ${escape(m.title)} <small>(${escape(id.split('.')[0] === 'user' ? '/ws/user' : '/ws/prices')})</small></h3>` +
        `<p>${prose(m.summary)}</p>${propertyTable(m.payload)}` +
        (m.examples?.length ? `<pre>${escape(JSON.stringify(m.examples[0].payload, null, 2))}</pre>` : '') +
        `</section>`,
    )
    .join('');

  const schemas = Object.entries(doc.components.schemas)
    .map(([name, s]) => {
      const body = s.properties ? propertyTable(s) : `<p>${typeOf(s)}</p>`;
      return `<section id="${anchor('schema', name)}"><h3><code>${escape(name)}</code></h3>${s.description ? `<p>${prose(s.description)}</p>` : ''}${body}</section>`;
    })
    .join('');

  const security = Object.entries(doc.components.securitySchemes)
    .map(([name, s]) => `<li><code>${escape(name)}</code>: ${prose((s as { description?: string }).description)}</li>`)
    .join('');

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(doc.info.title)}</title><style>${STYLE}</style></head>
<body><main>
<h1>${escape(doc.info.title)} <small>${escape(doc.info.version)}</small></h1>
<p>${prose(doc.info.description)}</p>
<nav><a href="/asyncapi.json">AsyncAPI ${escape(doc.asyncapi)} document</a><a href="/docs">HTTP API (OpenAPI)</a><a href="#channels">Channels</a><a href="#messages">Messages</a><a href="#schemas">Schemas</a></nav>
<h2>Servers</h2><table><thead><tr><th>name</th><th>URL</th><th>notes</th></tr></thead><tbody>${servers}</tbody></table>
<h2>Sign-in (<code>/ws/user</code>)</h2><ul>${security}</ul>
<h2 id="channels">Channels</h2>${channels}
<h2 id="messages">Messages</h2>${messages}
<h2 id="schemas">Schemas</h2><p>The objects the user events carry, as the HTTP API returns them.</p>${schemas}
</main></body></html>
`;
}
