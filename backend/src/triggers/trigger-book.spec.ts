import { dec } from '../common/money/decimal';
import { reaches, Trigger, TriggerBook } from './trigger-book';

const order = (id: string, direction: Trigger['direction'], trigger: string, symbol = 'BTC'): Trigger => ({ id, symbol, direction, trigger: dec(trigger) });

describe('TriggerBook', () => {
  it('fires at-or-below orders (limit buys, stop sells) once the price falls to their trigger, highest trigger first', () => {
    const book = new TriggerBook();
    book.add(order('a', 'at-or-below', '100'));
    book.add(order('b', 'at-or-below', '90'));
    book.add(order('c', 'at-or-below', '95'));
    expect(book.crossed('BTC', dec('100.01')).map((o) => o.id)).toEqual([]);
    expect(book.crossed('BTC', dec('100')).map((o) => o.id)).toEqual(['a']);
    expect(book.crossed('BTC', dec('92')).map((o) => o.id)).toEqual(['a', 'c']);
    expect(book.crossed('BTC', dec('1')).map((o) => o.id)).toEqual(['a', 'c', 'b']);
  });

  it('fires at-or-above orders (limit sells, stop buys) once the price rises to their trigger, lowest trigger first', () => {
    const book = new TriggerBook();
    book.add(order('a', 'at-or-above', '110'));
    book.add(order('b', 'at-or-above', '105'));
    expect(book.crossed('BTC', dec('104.99999999'))).toEqual([]);
    expect(book.crossed('BTC', dec('105')).map((o) => o.id)).toEqual(['b']);
    expect(book.crossed('BTC', dec('200')).map((o) => o.id)).toEqual(['b', 'a']);
  });

  it('keeps symbols apart and compares prices exactly as decimals', () => {
    const book = new TriggerBook();
    book.add(order('eth', 'at-or-below', '0.3', 'ETH'));
    book.add(order('btc', 'at-or-below', '0.3', 'BTC'));
    expect(book.crossed('ETH', dec('0.1').add(dec('0.2'))).map((o) => o.id)).toEqual(['eth']);
    expect(book.crossed('SOL', dec('0'))).toEqual([]);
  });

  it('removes a cancelled order among many with the same trigger and keeps first-in-first-out among equals', () => {
    const book = new TriggerBook();
    for (const id of ['1', '2', '3', '4']) book.add(order(id, 'at-or-above', '50'));
    expect(book.remove('3')).toBe(true);
    expect(book.remove('3')).toBe(false);
    expect(book.crossed('BTC', dec('50')).map((o) => o.id)).toEqual(['1', '2', '4']);
    expect(book.size).toBe(3);
  });

  it('re-adding an order replaces it instead of indexing it twice', () => {
    const book = new TriggerBook();
    book.add(order('x', 'at-or-below', '10'));
    book.add(order('x', 'at-or-below', '20'));
    expect(book.size).toBe(1);
    expect(book.crossed('BTC', dec('15')).map((o) => o.id)).toEqual(['x']);
  });

  it('answers a tick over ten thousand resting orders by touching only the ones it crosses', () => {
    const book = new TriggerBook();
    for (let i = 0; i < 10_000; i++) book.add(order(`o${i}`, 'at-or-below', String(1000 + i)));
    expect(book.crossed('BTC', dec('10998')).map((o) => o.id)).toEqual(['o9999', 'o9998']);
  });
});

describe('reaches', () => {
  it('counts a price equal to the level, on the right side only, compared exactly as decimals', () => {
    expect(reaches(order('a', 'at-or-above', '70000'), dec('69999.99999999'))).toBe(false);
    expect(reaches(order('a', 'at-or-above', '70000'), dec('70000.00'))).toBe(true);
    expect(reaches(order('b', 'at-or-below', '0.25'), dec('0.25000001'))).toBe(false);
    expect(reaches(order('b', 'at-or-below', '0.25'), dec('0.1'))).toBe(true);
  });
});

describe('TriggerBook by direction', () => {
  it('gives the at-or-above triggers a high reaches and the at-or-below ones a low reaches, apart', () => {
    const book = new TriggerBook();
    book.add(order('up', 'at-or-above', '125'));
    book.add(order('down', 'at-or-below', '85'));
    expect(book.crossedAbove('BTC', dec('130')).map((o) => o.id)).toEqual(['up']);
    expect(book.crossedBelow('BTC', dec('130'))).toEqual([]);
    expect(book.crossedBelow('BTC', dec('80')).map((o) => o.id)).toEqual(['down']);
    expect(book.get('up')?.trigger.toFixed()).toBe('125');
  });

  it('built at once from a reload (TriggerBook.of), crosses the same triggers in the same order as one built an add at a time', () => {
    // A deterministic spread: three symbols, both sides, many equal triggers (FIFO among them), an id repeated (its last entry).
    const triggers: Trigger[] = [];
    for (let i = 0; i < 600; i++) {
      triggers.push(order(`t${i}`, i % 3 === 0 ? 'at-or-above' : 'at-or-below', `${90 + ((i * 7) % 23) / 2}`, ['BTC', 'ETH', 'SOL'][i % 3]));
    }
    triggers.push(order('t5', 'at-or-above', '91', 'ETH'));
    const oneByOne = new TriggerBook();
    for (const t of triggers) oneByOne.add(t);
    const atOnce = TriggerBook.of(triggers);
    expect(atOnce.size).toBe(oneByOne.size);
    expect(atOnce.get('t5')).toMatchObject({ symbol: 'ETH', direction: 'at-or-above' });
    for (const symbol of ['BTC', 'ETH', 'SOL']) {
      for (const price of ['85', '90', '95.5', '99', '101', '110']) {
        expect(atOnce.crossed(symbol, dec(price)).map((t) => t.id)).toEqual(oneByOne.crossed(symbol, dec(price)).map((t) => t.id));
      }
    }
    // And it stays a book: removing and adding work on it as on the other.
    atOnce.remove('t1');
    oneByOne.remove('t1');
    atOnce.add(order('late', 'at-or-below', '95', 'ETH'));
    oneByOne.add(order('late', 'at-or-below', '95', 'ETH'));
    expect(atOnce.crossed('ETH', dec('90')).map((t) => t.id)).toEqual(oneByOne.crossed('ETH', dec('90')).map((t) => t.id));
  });

  it('tells a reload what differs from the book: new and changed triggers, vanished ones; not the same level written differently', async () => {
    const book = TriggerBook.of([
      order('same', 'at-or-below', '1.50'),
      order('moved', 'at-or-below', '90'),
      order('gone', 'at-or-above', '5'),
      order('mine', 'at-or-above', '7'),
    ]);
    const read = [order('same', 'at-or-below', '1.5'), order('moved', 'at-or-below', '91'), order('new', 'at-or-above', '3'), order('new', 'at-or-above', '4')];
    // `mine` changed in the book while the read was out: left out, whatever the read says of it.
    const { upsert, remove } = await book.differences(read, new Set(['mine']));
    expect(upsert.map((t) => [t.id, t.trigger.toFixed()])).toEqual([
      ['moved', '91'],
      ['new', '4'],
    ]);
    expect(remove).toEqual(['gone']);
    // A field other than the level (a repeating alert's rearm time) counts too.
    const alert = (rearmAt: number | null) => ({ ...order('a', 'at-or-above', '10'), rearmAt });
    const alerts = TriggerBook.of([alert(null)]);
    expect((await alerts.differences([alert(null)])).upsert).toEqual([]);
    expect((await alerts.differences([alert(1_000)])).upsert.map((t) => t.rearmAt)).toEqual([1_000]);
  });

  it('compares a reload of ten thousand in slices, pausing between them, to the same differences', async () => {
    const triggers = Array.from({ length: 10_000 }, (_, i) => order(`t${i}`, i % 2 ? 'at-or-above' : 'at-or-below', `${100 + (i % 97)}`));
    const book = TriggerBook.of(triggers);
    const read = triggers.slice(1).map((t, i) => (i === 500 ? order(t.id, t.direction, '1') : t));
    let pauses = 0;
    const sliced = await book.differences(read, new Set(), async () => void pauses++, 1024);
    expect(pauses).toBeGreaterThanOrEqual(Math.floor((3 * 10_000 - 2) / 1024));
    expect(sliced).toEqual(await book.differences(read));
    expect(sliced.upsert.map((t) => t.id)).toEqual(['t501']);
    expect(sliced.remove).toEqual(['t0']);
  });
});
