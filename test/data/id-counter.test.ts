import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { IdCounter } from '../../src/data/id-counter.ts';

/** Ids that stress the table: short, exactly 16 bytes, sharing a 16-byte prefix, over 255 bytes, multi-byte, empty. */
function ids(n: number): string[] {
  const out: string[] = [];
  for (let k = 0; k < n; k += 1) {
    const shape = k % 6;
    out.push(shape === 0 ? `u${k}` : shape === 1 ? `${k}`.padStart(16, 'x') : shape === 2 ? `same-16-byte-pre${k}` : shape === 3 ? `${'L'.repeat(300)}${k}` : shape === 4 ? `ü${k}é` : k === 5 ? '' : `i-${k}`);
  }
  return out;
}

describe('IdCounter', () => {
  it('counts like a Map, keeps first-seen order through growth, and agrees between strings and bytes', () => {
    const distinct = ids(20_000);
    const counter = new IdCounter();
    const reference = new Map<string, number>();
    let seed = 7;
    for (let r = 0; r < 100_000; r += 1) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      const id = distinct[seed % distinct.length] as string;
      reference.set(id, (reference.get(id) ?? 0) + 1);
      if (r % 2 === 0) counter.add(id);
      else {
        const bytes = Buffer.from(`,${id},`);
        counter.table.add(bytes, 1, bytes.length - 1);
      }
    }
    expect([...counter.ids()]).toEqual([...reference.keys()]);
    expect([...counter.countsArray()]).toEqual([...reference.values()]);
    expect(counter.size).toBe(reference.size);
    for (const id of distinct.slice(0, 500)) {
      expect(counter.has(id)).toBe(reference.has(id));
      expect(counter.count(id)).toBe(reference.get(id) ?? 0);
    }
    expect(counter.has('same-16-byte-pre')).toBe(false);
    expect(counter.count(`${'L'.repeat(300)}`)).toBe(0);
  });

  it('finds digit-form ids by value, and sends every other id (and values past the index) to the hash table', () => {
    const counter = new IdCounter();
    const t = counter.table;
    const key = (id: string): [Buffer, number, number] => {
      const b = Buffer.from(`,${id},`);
      return [b, 1, b.length - 1];
    };
    expect(t.digitValue(...key('U0000042'))).toBe(42);
    for (const other of ['V0000042', 'U000042', 'U00000042', 'U00000x2', '00000042']) expect(t.digitValue(...key(other)), other).toBe(-1);
    expect(t.digitValue(...key('U9999999'))).toBe(-1); // beyond the index: hashed
    counter.add('U0000042');
    const i = t.addDigitKey(42, ...key('U0000042'));
    expect(i).toBe(0);
    expect(counter.count('U0000042')).toBe(2);
    expect(t.addDigitKey(7, ...key('U0000007'))).toBe(1);
    expect([...counter.ids()]).toEqual(['U0000042', 'U0000007']);
    expect([...counter.countsArray()]).toEqual([2, 1]);
  });
});
