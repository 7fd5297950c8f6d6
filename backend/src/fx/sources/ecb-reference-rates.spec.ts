import { EcbFormatError, parseEcbDailyXml, perUsdRates } from './ecb-reference-rates';
import { ECB_SAMPLE_DATE, ECB_SAMPLE_XML } from './ecb-sample';
import { parseStrictXml, XmlFormatError } from './strict-xml';

const ENVELOPE_OPEN = '<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">';

/** An ECB daily document with these `Cube currency rate` lines for `date`. */
function ecb(rates: Record<string, string>, date = '2026-12-02'): string {
  const cubes = Object.entries(rates)
    .map(([currency, rate]) => `<Cube currency='${currency}' rate='${rate}'/>`)
    .join('\n\t\t\t');
  return `<?xml version="1.0" encoding="UTF-8"?>
${ENVELOPE_OPEN}
\t<gesmes:subject>Reference rates</gesmes:subject>
\t<gesmes:Sender>
\t\t<gesmes:name>European Central Bank</gesmes:name>
\t</gesmes:Sender>
\t<Cube>
\t\t<Cube time='${date}'>
\t\t\t${cubes}
\t\t</Cube>
\t</Cube>
</gesmes:Envelope>
`;
}

const rejects = (xml: string, message: RegExp): void => {
  let error: unknown;
  try {
    parseEcbDailyXml(xml);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(EcbFormatError);
  expect((error as Error).message).toMatch(message);
};

describe('parseEcbDailyXml', () => {
  it('reads the documented daily document: the day and every rate as published', () => {
    const day = parseEcbDailyXml(ecb({ USD: '1.0512', JPY: '158.10', GBP: '0.8301' }));
    expect(day.date).toBe('2026-12-02');
    expect([...day.perEur]).toEqual([
      ['USD', '1.0512'],
      ['JPY', '158.10'],
      ['GBP', '0.8301'],
    ]);
  });

  it('derives the per-USD rates exactly, rounded to 10 significant digits', () => {
    expect(perUsdRates(parseEcbDailyXml(ecb({ USD: '1.0512', GBP: '0.8301' })))).toEqual({ USD: '1', EUR: '0.9512937595', GBP: '0.7896689498' });
    // Quotients that end early keep no trailing zeros.
    expect(perUsdRates(parseEcbDailyXml(ecb({ USD: '1.25', GBP: '0.8' })))).toEqual({ USD: '1', EUR: '0.8', GBP: '0.64' });
    // Large and small magnitudes stay plain decimals (no exponent).
    expect(perUsdRates(parseEcbDailyXml(ecb({ USD: '0.000012345', GBP: '123456789' })))).toEqual({
      USD: '1',
      EUR: '81004.45525',
      GBP: '10000549940000',
    });
  });

  it('rounds a tie at the tenth significant digit half to even', () => {
    // 0.19753086248 / 1.6 = 0.12345678905 and 0.19753086264 / 1.6 = 0.12345678915, exactly.
    expect(perUsdRates(parseEcbDailyXml(ecb({ USD: '1.6', GBP: '0.19753086248' }))).GBP).toBe('0.123456789');
    expect(perUsdRates(parseEcbDailyXml(ecb({ USD: '1.6', GBP: '0.19753086264' }))).GBP).toBe('0.1234567892');
  });

  it('accepts odd but valid layout: no declaration, CRLF, spaces around "=", double quotes, comments, no whitespace at all', () => {
    const odd = `\r\n<!-- mirrored copy -->\r\n${ENVELOPE_OPEN.replace('xmlns=', 'xmlns =  ')}<Cube\r\n><Cube   time = "2026-12-02"\t><Cube currency="USD"\r\n rate="1.0512" /><!-- x --><Cube rate='0.8301' currency='GBP'></Cube></Cube></Cube></gesmes:Envelope>\r\n<!-- end -->\r\n`;
    expect(perUsdRates(parseEcbDailyXml(odd))).toEqual({ USD: '1', EUR: '0.9512937595', GBP: '0.7896689498' });
    expect(parseEcbDailyXml(`\uFEFF${ecb({ USD: '1.0512', GBP: '0.8301' })}`).date).toBe('2026-12-02');
  });

  it('accepts a namespace prefix other than the usual ones', () => {
    const xml = `<e:Envelope xmlns:e="http://www.gesmes.org/xml/2002-08-01" xmlns:r="http://www.ecb.int/vocabulary/2002-08-01/eurofxref"><r:Cube><r:Cube time="2026-12-02"><r:Cube currency="USD" rate="1.0512"/><r:Cube currency="GBP" rate="0.8301"/></r:Cube></r:Cube></e:Envelope>`;
    expect(parseEcbDailyXml(xml).perEur.get('GBP')).toBe('0.8301');
  });

  it('rejects whitespace inside values', () => {
    rejects(ecb({ USD: ' 1.0512', GBP: '0.8301' }), /USD rate " 1.0512" is not a positive decimal/);
    rejects(ecb({ USD: '1.0512', GBP: '0.8301' }, ' 2026-12-02'), /time " 2026-12-02" is not a calendar date/);
    rejects(ecb({ 'USD ': '1.0512', GBP: '0.8301' }), /currency "USD " is not a three-letter/);
  });

  it('rejects a document without a USD or a GBP rate', () => {
    rejects(ecb({ JPY: '158.10', GBP: '0.8301' }), /no USD rate for 2026-12-02/);
    rejects(ecb({ USD: '1.0512', JPY: '158.10' }), /no GBP rate for 2026-12-02/);
    rejects(ecb({}), /no USD rate/);
  });

  it('rejects zero, negative and malformed rates', () => {
    for (const rate of ['0', '0.0000', '-1.0512', '+1.0512', '1e3', '1,0512', '.5', '1.', '01.05', 'NaN', 'Infinity', '', '1.0512.1']) {
      rejects(ecb({ USD: rate, GBP: '0.8301' }), /USD rate .* is not a positive decimal/);
    }
    rejects(ecb({ USD: '1.0512', GBP: '-0.8301' }), /GBP rate/);
  });

  it('rejects a duplicate currency and an EUR rate other than 1', () => {
    rejects(
      ecb({ USD: '1.0512', GBP: '0.8301' }).replace("<Cube currency='GBP'", "<Cube currency='USD' rate='1.1'/><Cube currency='GBP'"),
      /USD is listed twice/,
    );
    rejects(ecb({ USD: '1.0512', GBP: '0.8301', EUR: '1.01' }), /EUR is listed at 1.01/);
    expect(parseEcbDailyXml(ecb({ USD: '1.0512', GBP: '0.8301', EUR: '1.0000' })).date).toBe('2026-12-02');
  });

  it('rejects a date that is not a calendar day', () => {
    for (const date of ['2026-02-30', '2026-13-01', '26-12-02', '2026-12-2', '2026-12-02T00:00:00Z', '']) {
      rejects(ecb({ USD: '1.0512', GBP: '0.8301' }, date), /is not a calendar date/);
    }
    rejects(ecb({ USD: '1.0512', GBP: '0.8301' }).replace(" time='2026-12-02'", ''), /no time attribute/);
  });

  it('rejects the wrong root element, or the right name in the wrong namespace', () => {
    rejects('<Envelope><Cube/></Envelope>', /root element is <Envelope>, not gesmes:Envelope/);
    rejects(
      ecb({ USD: '1.0512', GBP: '0.8301' }).replace('http://www.gesmes.org/xml/2002-08-01', 'http://example.com/gesmes'),
      /root element is <gesmes:Envelope> in http:\/\/example.com\/gesmes/,
    );
    rejects('<html><body>Service unavailable</body></html>', /root element is <html>/);
    rejects('<?xml version="1.0"?><rss version="2.0"><channel/></rss>', /root element is <rss>/);
  });

  it('rejects a structure that is not one day of rates', () => {
    const one = ecb({ USD: '1.0512', GBP: '0.8301' });
    // Two days (the 90-day history document is a different file).
    rejects(
      one.replace(
        '\t</Cube>\n</gesmes',
        "\t\t<Cube time='2026-12-01'><Cube currency='USD' rate='1.05'/><Cube currency='GBP' rate='0.83'/></Cube>\n\t</Cube>\n</gesmes",
      ),
      /holds 2 elements, not one day/,
    );
    rejects(one.replace(/<Cube>[\s\S]*<\/Cube>\n/, ''), /holds 0 Cube elements/);
    rejects(one.replace("<Cube currency='GBP' rate='0.8301'/>", "<Cube currency='GBP' rate='0.8301'>0.8301</Cube>"), /unexpected text inside <Cube>/);
    rejects(one.replace("<Cube currency='GBP' rate='0.8301'/>", "<Cube currency='GBP' rate='0.8301' note='x'/>"), /unexpected attribute note/);
    rejects(one.replace("<Cube currency='GBP' rate='0.8301'/>", "<Rate currency='GBP' rate='0.8301'/>"), /unexpected <Rate> where a Cube belongs/);
    rejects(one.replace('<gesmes:subject>', '<subject>').replace('</gesmes:subject>', '</subject>'), /unexpected <subject> in the envelope/);
  });

  it('rejects malformed XML as a format error', () => {
    const one = ecb({ USD: '1.0512', GBP: '0.8301' });
    rejects(one.slice(0, one.indexOf('</gesmes:Envelope>')), /not well-formed XML: <gesmes:Envelope> is never closed/);
    rejects(one.slice(0, one.indexOf('<gesmes:Sender>') + 10), /not well-formed XML: unterminated start tag <gesmes:Se>/);
    rejects(one.replace('</gesmes:Envelope>', '</gesmes:Envelop>'), /closes <gesmes:Envelope>/);
    rejects('', /no root element/);
    rejects('{"rates":{"USD":1.05}}', /text before the root element/);
    rejects(`${one}<extra/>`, /content after the root element/);
    rejects(one.replace("rate='1.0512'", 'rate=1.0512'), /not quoted/);
    rejects(one.replace("rate='1.0512'", "rate='1.0512' rate='1.0512'"), /given twice/);
  });

  it('reads the bundled sample, the ECB rates of 28 June 2024', () => {
    const day = parseEcbDailyXml(ECB_SAMPLE_XML);
    expect(day.date).toBe(ECB_SAMPLE_DATE);
    expect(day.perEur.get('USD')).toBe('1.0705');
    expect(day.perEur.get('GBP')).toBe('0.84638');
    expect(day.perEur.size).toBe(30);
    expect(perUsdRates(day)).toEqual({ USD: '1', EUR: '0.9341429239', GBP: '0.7906398879' });
  });
});

describe('parseStrictXml', () => {
  const fails = (xml: string, message: RegExp): void => expect(() => parseStrictXml(xml)).toThrow(message);

  it('resolves namespaces, decodes references and keeps text', () => {
    const root = parseStrictXml('<a:r xmlns:a="urn:a" xmlns="urn:d" k="x &amp; &#x3C;y&#62;"><c>t &lt;1&gt; &quot;&apos;</c><a:c/></a:r>');
    expect(root).toMatchObject({ name: 'a:r', localName: 'r', namespace: 'urn:a' });
    expect(root.attributes.get('k')).toBe('x & <y>');
    expect(root.children.map((c) => [c.name, c.namespace, c.text])).toEqual([
      ['c', 'urn:d', 't <1> "\''],
      ['a:c', 'urn:a', ''],
    ]);
  });

  it('refuses a DOCTYPE and entity declarations (no entity expansion of any kind)', () => {
    fails('<!DOCTYPE r [<!ENTITY e "x">]><r>&e;</r>', /a DOCTYPE is refused/);
    fails('<r><!ENTITY e "x"></r>', /declarations .* are refused/);
    fails('<r>&e;</r>', /"&" that starts no known entity/);
    fails('<r a="&e;"/>', /"&" that starts no known entity/);
    fails('<r>a & b</r>', /"&" that starts no known entity/);
  });

  it('refuses CDATA, processing instructions, bad characters and bad references', () => {
    fails('<r><![CDATA[x]]></r>', /CDATA sections are refused/);
    fails('<r><?pi x?></r>', /processing instructions are refused/);
    fails('<?pi x?><r/>', /processing instructions are refused/);
    fails('<r>\u0001</r>', /U\+0001 is not allowed/);
    fails('<r>&#0;</r>', /names a character XML does not allow/);
    fails('<r>&#xD800;</r>', /names a character XML does not allow/);
  });

  it('refuses undeclared prefixes, another encoding and malformed tags', () => {
    fails('<p:r/>', /undeclared namespace prefix p/);
    fails('<r p:a="1"/>', /undeclared namespace prefix p on attribute p:a/);
    fails('<?xml version="1.0" encoding="ISO-8859-1"?><r/>', /encoding ISO-8859-1 is not UTF-8/);
    fails('<?xml version="1.0" standalone="maybe"?><r/>', /malformed XML declaration/);
    fails('<r a="1"b="2"/>', /expected whitespace/);
    fails('<r a="1<"/>', /"<" in the value/);
    fails('<r><-/></r>', /expected an element name/);
    fails('<r>', /never closed/);
    fails('<r/><r/>', /content after the root element/);
    fails('<r><!-- a -- b --></r>', /"--" inside a comment/);
  });

  it('enforces its size, depth and element limits', () => {
    fails('<r>' + 'x'.repeat(300_000) + '</r>', /longer than/);
    fails('<a>'.repeat(20) + '</a>'.repeat(20), /nested deeper than 16/);
    fails(`<r>${'<c/>'.repeat(2_001)}</r>`, /more than 2000 elements/);
  });

  it('throws XmlFormatError with the line and column', () => {
    expect(() => parseStrictXml('<r>\n  <c></d>\n</r>')).toThrow(XmlFormatError);
    expect(() => parseStrictXml('<r>\n  <c></d>\n</r>')).toThrow(/<\/d> closes <c> \(line 2, column 6\)/);
  });
});
