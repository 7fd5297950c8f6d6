import { PriceLevelIndex } from './price-level-index';

describe('PriceLevelIndex', () => {
  const build = (levels: Record<string, string>): PriceLevelIndex<string> => {
    const index = new PriceLevelIndex<string>();
    for (const [id, level] of Object.entries(levels)) index.upsert(id, level, id);
    return index;
  };

  it('returns every item at or below a price, lowest level first, whatever the insertion order', () => {
    const index = build({ c: '300', a: '100', d: '400', b: '200' });
    expect(index.atOrBelow('250')).toEqual(['a', 'b']);
    expect(index.atOrBelow('300')).toEqual(['a', 'b', 'c']);
    expect(index.atOrBelow('99.99')).toEqual([]);
  });

  it('returns every item at or above a price, including one exactly at the level', () => {
    const index = build({ a: '100', b: '200', c: '300' });
    expect(index.atOrAbove('200')).toEqual(['b', 'c']);
    expect(index.atOrAbove('300.00000001')).toEqual([]);
    expect(index.atOrAbove('0')).toEqual(['a', 'b', 'c']);
  });

  it('compares levels as decimals, not as strings or floats', () => {
    const index = build({ nine: '9', ten: '10', tiny: '0.30000000000000001', tinier: '0.3' });
    expect(index.atOrBelow('9.5')).toEqual(['tinier', 'tiny', 'nine']);
    expect(index.atOrBelow('0.3')).toEqual(['tinier']);
  });

  it('keeps several items at the same level and removes exactly the one asked for', () => {
    const index = build({ x: '50', y: '50', z: '50' });
    expect(index.remove('y')).toBe(true);
    expect(index.atOrAbove('50')).toEqual(['x', 'z']);
    expect(index.remove('y')).toBe(false);
    expect(index.size).toBe(2);
  });

  it('moves an item to its new level when it is upserted again', () => {
    const index = build({ a: '100', b: '200' });
    index.upsert('a', '300', 'a');
    expect(index.values()).toEqual(['b', 'a']);
    expect(index.atOrBelow('150')).toEqual([]);
    expect(index.size).toBe(2);
  });

  it('stays sorted under many random inserts and removals', () => {
    const index = new PriceLevelIndex<number>();
    const live = new Map<string, number>();
    let seed = 7;
    const rand = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let i = 0; i < 2000; i++) {
      const id = `k${Math.floor(rand() * 300)}`;
      if (rand() < 0.3) {
        index.remove(id);
        live.delete(id);
      } else {
        const level = Math.floor(rand() * 1000);
        index.upsert(id, String(level), level);
        live.set(id, level);
      }
    }
    const expected = [...live.values()].sort((a, b) => a - b);
    expect(index.values()).toEqual(expected);
    expect(index.atOrBelow('500')).toEqual(expected.filter((l) => l <= 500));
  });
});
