/**
 * A small, strict XML reader for short documents from outside (the ECB's daily
 * reference rates). It reads elements, attributes, character data and comments
 * into a tree with namespaces resolved, and refuses everything else: a DOCTYPE
 * (so no entity expansion of any kind), CDATA sections, processing instructions
 * other than the leading XML declaration, entities other than XML's five and
 * character references, characters XML forbids, undeclared prefixes, duplicate
 * attributes, mismatched tags, content after the root, and documents beyond
 * the size, depth or element limits. Not a general XML parser: an external
 * document that needs more than this is not one we expect.
 */

export interface XmlElement {
  /** The qualified name as written (`gesmes:Envelope`). */
  name: string;
  /** The name without its prefix (`Envelope`). */
  localName: string;
  /** The namespace URI in scope for its prefix (or the default namespace); '' for none. */
  namespace: string;
  /** Attributes by qualified name, values with references decoded; namespace declarations (`xmlns…`) left out. */
  attributes: Map<string, string>;
  children: XmlElement[];
  /** The character data directly inside the element (children's text excluded), references decoded. */
  text: string;
}

export interface XmlLimits {
  /** Characters. */
  maxLength: number;
  maxDepth: number;
  maxElements: number;
}

export const DEFAULT_XML_LIMITS: XmlLimits = { maxLength: 256 * 1024, maxDepth: 16, maxElements: 2_000 };

export class XmlFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlFormatError';
  }
}

const NAME = /[A-Za-z_][A-Za-z0-9._-]*(?::[A-Za-z_][A-Za-z0-9._-]*)?/y;
const WHITESPACE = /[ \t\r\n]*/y;
const DECLARATION =
  /^<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(["'])1\.\d\1(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(["'])([A-Za-z][A-Za-z0-9._-]*)\2)?(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(["'])(?:yes|no)\4)?[ \t\r\n]*\?>$/;
const REFERENCE = /&(?:(amp|lt|gt|quot|apos)|#([0-9]{1,7})|#x([0-9a-fA-F]{1,6}));/y;
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Parses `input` (already decoded text) into its root element, or throws XmlFormatError saying what is wrong and where. */
export function parseStrictXml(input: string, limits: XmlLimits = DEFAULT_XML_LIMITS): XmlElement {
  return new Reader(input, limits).document();
}

/** The first character XML 1.0 allows nowhere in a document (C0 controls but tab, LF and CR; U+FFFE, U+FFFF), or -1. */
function forbiddenCharAt(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffe || c === 0xffff) return i;
  }
  return -1;
}

class Reader {
  private i = 0;
  private elements = 0;

  constructor(
    private readonly s: string,
    private readonly limits: XmlLimits,
  ) {}

  document(): XmlElement {
    if (this.s.length > this.limits.maxLength) throw new XmlFormatError(`document longer than ${this.limits.maxLength} characters`);
    const bad = forbiddenCharAt(this.s);
    if (bad >= 0) this.fail(`character U+${this.s.charCodeAt(bad).toString(16).padStart(4, '0').toUpperCase()} is not allowed in XML`, bad);
    if (this.s.charCodeAt(0) === 0xfeff) this.i = 1;
    if (this.s.startsWith('<?xml', this.i) && /[ \t\r\n]/.test(this.s.charAt(this.i + 5))) this.declaration();
    this.misc();
    if (this.s.charAt(this.i) !== '<') this.fail(this.i >= this.s.length ? 'no root element' : 'text before the root element');
    const root = this.element(new Map([['', '']]), 1);
    this.misc();
    if (this.i < this.s.length) this.fail('content after the root element');
    return root;
  }

  private declaration(): void {
    const end = this.s.indexOf('?>', this.i);
    if (end < 0) this.fail('unterminated XML declaration');
    const m = DECLARATION.exec(this.s.slice(this.i, end + 2));
    if (!m) this.fail('malformed XML declaration');
    if (m[3] !== undefined && !/^utf-?8$/i.test(m[3])) this.fail(`encoding ${m[3]} is not UTF-8`);
    this.i = end + 2;
  }

  /** Whitespace and comments (between the declaration, the root and the end). */
  private misc(): void {
    for (;;) {
      this.whitespace();
      if (this.s.startsWith('<!--', this.i)) this.comment();
      else if (this.s.startsWith('<!DOCTYPE', this.i)) this.fail('a DOCTYPE is refused');
      else if (this.s.startsWith('<?', this.i)) this.fail('processing instructions are refused');
      else return;
    }
  }

  private comment(): void {
    const end = this.s.indexOf('-->', this.i + 4);
    if (end < 0) this.fail('unterminated comment');
    if (this.s.slice(this.i + 4, end).includes('--')) this.fail('"--" inside a comment');
    this.i = end + 3;
  }

  private element(parentScope: Map<string, string>, depth: number): XmlElement {
    if (depth > this.limits.maxDepth) this.fail(`elements nested deeper than ${this.limits.maxDepth}`);
    if (++this.elements > this.limits.maxElements) this.fail(`more than ${this.limits.maxElements} elements`);
    const start = this.i;
    this.i++; // '<'
    const name = this.name('element name');
    const raw = new Map<string, string>();
    let selfClosing = false;
    for (;;) {
      const spaced = this.whitespace();
      if (this.s.startsWith('/>', this.i)) {
        selfClosing = true;
        this.i += 2;
        break;
      }
      if (this.s.charAt(this.i) === '>') {
        this.i++;
        break;
      }
      if (this.i >= this.s.length) this.fail(`unterminated start tag <${name}>`, start);
      if (!spaced) this.fail(`expected whitespace, ">" or "/>" in <${name}>`);
      const attr = this.name('attribute name');
      this.whitespace();
      if (this.s.charAt(this.i) !== '=') this.fail(`expected "=" after attribute ${attr}`);
      this.i++;
      this.whitespace();
      const quote = this.s.charAt(this.i);
      if (quote !== '"' && quote !== "'") this.fail(`attribute ${attr} is not quoted`);
      const end = this.s.indexOf(quote, this.i + 1);
      if (end < 0) this.fail(`unterminated value of attribute ${attr}`);
      const value = this.s.slice(this.i + 1, end);
      if (value.includes('<')) this.fail(`"<" in the value of attribute ${attr}`);
      if (raw.has(attr)) this.fail(`attribute ${attr} given twice in <${name}>`);
      raw.set(attr, this.decode(value, this.i + 1));
      this.i = end + 1;
    }

    const scope = new Map(parentScope);
    const attributes = new Map<string, string>();
    for (const [attr, value] of raw) {
      if (attr === 'xmlns') scope.set('', value);
      else if (attr.startsWith('xmlns:')) {
        if (value === '') this.fail(`namespace prefix ${attr.slice(6)} declared empty`, start);
        scope.set(attr.slice(6), value);
      } else attributes.set(attr, value);
    }
    for (const attr of attributes.keys()) {
      const prefix = attr.includes(':') ? attr.slice(0, attr.indexOf(':')) : undefined;
      if (prefix !== undefined && prefix !== 'xml' && !scope.has(prefix)) this.fail(`undeclared namespace prefix ${prefix} on attribute ${attr}`, start);
    }
    const colon = name.indexOf(':');
    const prefix = colon < 0 ? '' : name.slice(0, colon);
    const namespace = scope.get(prefix);
    if (namespace === undefined) this.fail(`undeclared namespace prefix ${prefix} on <${name}>`, start);
    const el: XmlElement = { name, localName: colon < 0 ? name : name.slice(colon + 1), namespace, attributes, children: [], text: '' };
    if (selfClosing) return el;

    for (;;) {
      if (this.i >= this.s.length) this.fail(`<${name}> is never closed`, start);
      if (this.s.startsWith('</', this.i)) {
        const at = this.i;
        this.i += 2;
        const closing = this.name('closing tag name');
        this.whitespace();
        if (this.s.charAt(this.i) !== '>') this.fail(`malformed closing tag </${closing}`);
        this.i++;
        if (closing !== name) this.fail(`</${closing}> closes <${name}>`, at);
        return el;
      }
      if (this.s.startsWith('<!--', this.i)) this.comment();
      else if (this.s.startsWith('<![CDATA[', this.i)) this.fail('CDATA sections are refused');
      else if (this.s.startsWith('<!', this.i)) this.fail('declarations (DOCTYPE, ENTITY) are refused');
      else if (this.s.startsWith('<?', this.i)) this.fail('processing instructions are refused');
      else if (this.s.charAt(this.i) === '<') el.children.push(this.element(scope, depth + 1));
      else {
        const next = this.s.indexOf('<', this.i);
        const end = next < 0 ? this.s.length : next;
        el.text += this.decode(this.s.slice(this.i, end), this.i);
        this.i = end;
      }
    }
  }

  private name(what: string): string {
    NAME.lastIndex = this.i;
    const m = NAME.exec(this.s);
    if (!m) this.fail(`expected an ${what}`);
    this.i += m[0].length;
    return m[0];
  }

  /** Skips whitespace; true when there was some. */
  private whitespace(): boolean {
    WHITESPACE.lastIndex = this.i;
    const m = WHITESPACE.exec(this.s)!;
    this.i += m[0].length;
    return m[0].length > 0;
  }

  /** Character data or an attribute value with its references decoded; a bare "&" or an unknown entity is refused. */
  private decode(raw: string, at: number): string {
    if (!raw.includes('&')) return raw;
    let out = '';
    let from = 0;
    for (let amp = raw.indexOf('&'); amp >= 0; amp = raw.indexOf('&', from)) {
      out += raw.slice(from, amp);
      REFERENCE.lastIndex = amp;
      const m = REFERENCE.exec(raw);
      if (!m) this.fail('"&" that starts no known entity or character reference', at + amp);
      if (m[1]) out += PREDEFINED[m[1]];
      else {
        const code = m[2] !== undefined ? Number(m[2]) : parseInt(m[3], 16);
        const ok =
          code === 0x9 ||
          code === 0xa ||
          code === 0xd ||
          (code >= 0x20 && code <= 0xd7ff) ||
          (code >= 0xe000 && code <= 0xfffd) ||
          (code >= 0x10000 && code <= 0x10ffff);
        if (!ok) this.fail(`character reference ${m[0]} names a character XML does not allow`, at + amp);
        out += String.fromCodePoint(code);
      }
      from = amp + m[0].length;
    }
    return out + raw.slice(from);
  }

  private fail(message: string, at = this.i): never {
    const before = this.s.slice(0, Math.min(at, this.s.length));
    const line = before.split('\n').length;
    const column = at - before.lastIndexOf('\n');
    throw new XmlFormatError(`${message} (line ${line}, column ${column})`);
  }
}
