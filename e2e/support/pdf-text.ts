import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';

/**
 * The text of a PDF as a reader sees it, line by line: pdf.js (pdfjs-dist 4.9, its legacy build for Node) extracts each
 * page's text items, and the items on one baseline, left to right, joined with a space, make a line. pdf.js ships as
 * ES modules only, which jest's CommonJS runtime cannot load: it runs in a Node process of its own, the PDF on stdin.
 */
const EXTRACT = `
const { getDocument } = await import(process.argv[1]);
const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const doc = await getDocument({ data: new Uint8Array(Buffer.concat(chunks)), isEvalSupported: false, disableFontFace: true, useSystemFonts: false }).promise;
const pages = [];
for (let n = 1; n <= doc.numPages; n++) {
  const content = await (await doc.getPage(n)).getTextContent();
  const rows = new Map();
  for (const item of content.items) {
    if (!('str' in item) || item.str === '') continue;
    const y = Math.round(item.transform[5]);
    rows.set(y, [...(rows.get(y) ?? []), { x: item.transform[4], s: item.str }]);
  }
  pages.push([...rows.entries()].sort((a, b) => b[0] - a[0]).map(([, items]) => items.sort((a, b) => a.x - b.x).map((i) => i.s).join(' ').replace(/\\s+/g, ' ').trim()));
}
process.stdout.write(JSON.stringify({ pages, info: (await doc.getMetadata()).info }));
`;

export interface PdfText {
  /** Per page, its lines top to bottom. */
  pages: string[][];
  /** The document information dictionary (Title, Author, …). */
  info: Record<string, unknown>;
}

export function pdfText(pdf: Buffer): Promise<PdfText> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ['--input-type=module', '--no-warnings', '-e', EXTRACT, pathToFileURL(require.resolve('pdfjs-dist/legacy/build/pdf.mjs')).href],
      { maxBuffer: 64 * 1024 * 1024, timeout: 60_000 },
      (err, stdout, stderr) => (err ? reject(new Error(`pdf text extraction failed: ${err.message}\n${stderr}`)) : resolve(JSON.parse(stdout) as PdfText)),
    );
    child.stdin!.end(pdf);
  });
}
