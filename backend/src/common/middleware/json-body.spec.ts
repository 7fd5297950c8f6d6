import { jsonNestedDeeperThan } from './json-body';

const depth = (text: string, max: number): boolean => jsonNestedDeeperThan(Buffer.from(text, 'utf8'), max);

describe('jsonNestedDeeperThan', () => {
  it('counts open arrays and objects, not their siblings', () => {
    expect(depth('{"a":[[1]]}', 3)).toBe(false);
    expect(depth('{"a":[[[1]]]}', 3)).toBe(true);
    expect(depth(`[${'[1],'.repeat(1000)}[2]]`, 2)).toBe(false);
  });

  it('ignores brackets in strings, escaped quotes included, and multi-byte characters', () => {
    expect(depth(JSON.stringify({ a: '[[[[{{{{', b: 'say \\"[[[[\\"', c: 'é€😀[[[[' }), 1)).toBe(false);
    expect(depth('{"a":"\\\\"}', 1)).toBe(false);
    expect(depth('{"a":"\\\\","b":[[1]]}', 2)).toBe(true);
  });

  it('finds 20,000 levels without recursion', () => {
    expect(depth(`{"x":${'['.repeat(20_000)}${']'.repeat(20_000)}}`, 32)).toBe(true);
  });
});
