import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { FastRows } from '../../src/data/fast-rows.ts';
import { fourDigits } from '../../src/data/plain-line-reader.ts';
import { resolveField } from '../../src/data/avro-rules.ts';
import { validateDataFileBy, type ReadPath, type ValidateDataFileOptions } from '../../src/data/validate-file.ts';
import { columnRule } from '../../src/data/value-rules.ts';
import type { DataFileResult } from '../../src/data/types.ts';
import type { AvroRecordSchema, DatasetType } from '../../src/manifest/types.ts';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'data');
const schema = (name: string): AvroRecordSchema => JSON.parse(readFileSync(join(fixtures, `${name}.avsc`), 'utf8')) as AvroRecordSchema;
const NOW = 1_750_000_000;
const T = 1_700_000_000;

/** Every line shape the fast path takes or must decline, mixed so that runs of both alternate. */
const INTERACTIONS = [
  'USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE',
  `u1,i1,${T},view,`,
  `u2,i2,${T + 10},buy,2.5`,
  `u1,i2,${T + 20},view,1e3\r`,
  `"u3",i1,${T + 30},view,`,
  `u4,"i,3",${T + 40},"say ""hi""\nthere",`,
  '',
  `u1,i1,${T},view,`,
  `ü5,i5,${T + 50},view,`,
  `u6,i\xff6,${T + 60},view,`,
  `u7,i7,${T}000,view,`,
  `u8,i8,2023-11-14,view,`,
  `u9,i9,-5,view,`,
  `u10,i10,${NOW + 90_000},view,`,
  `u11,i11,${T}.5,view,`,
  `,i12,${T},view,`,
  `u13,i13,${T},view,lots`,
  `u14,i14,${T},view,,`,
  `u15,i15,${T}`,
  `u16,i16,${T},v"iew,`,
  `u17,i17,${T},view\r,`,
  `${'x'.repeat(257)},i18,${T},view,`,
  `u19,i19,${T},view,3\r`,
  '\r',
  `u20,i20,${T + 7 * 86_400},🎉,`,
  `u1,i1,${T + 14 * 86_400},buy,`,
  `u21,i21,${T},view,`,
].join('\n');

const ITEMS = [
  'ITEM_ID,GENRES,DESCRIPTION,AVAILABLE,STOCK',
  'i1,a|b,plain,true,3',
  'i2,,"quoted, with comma",false,',
  'i1,a,dup,true,1',
  'i3,c,multi\r\nline?,TRUE,2',
  'i4,c,"multi\r\nline",true,99999999999',
  'i5,ç,text,false,-7',
  'i1,a,third,true,-',
  'i6,d,,true,2147483648',
  'i7,d,x,yes,1',
].join('\r\n');

const USERS = ['\ufeffUSER_ID,AGE,SEGMENT', 'u1,30,a', 'u2,,b', 'u2,x,b', 'u3,-12345678901234567,', 'u4,1234567890123456789,c', 'u5,+3,c', 'u6,007,c'].join('\n');

interface Case {
  readonly name: string;
  readonly type: DatasetType;
  readonly text: string;
}

const CASES: readonly Case[] = [
  { name: 'interactions', type: 'INTERACTIONS', text: INTERACTIONS },
  { name: 'items', type: 'ITEMS', text: ITEMS },
  { name: 'users', type: 'USERS', text: USERS },
];

type OneScan = (buf: Buffer, start: number, line: number) => number;

/**
 * Watches the one-pass readers (`FastRows.usualRows` for the usual column order, `fixedRows` for
 * any other; private, so reached through the prototype). A result of 0 or more is the line end of
 * a run taken, -1 a first line left to the split.
 */
function spyOnOneScan(): { results: () => number[]; restore: () => void } {
  const prototype = FastRows.prototype as unknown as { usualRows: OneScan; fixedRows: OneScan };
  const spies = [vi.spyOn(prototype, 'usualRows'), vi.spyOn(prototype, 'fixedRows')];
  return {
    results: () => spies.flatMap((spy) => spy.mock.results.map((r) => r.value as number)),
    restore: () => spies.forEach((spy) => spy.mockRestore()),
  };
}

/** USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE -> ITEM_ID,USER_ID,EVENT_TYPE,TIMESTAMP (lines of four fields; others unchanged). */
function unusualOrder(line: string): string {
  const f = line.split(',');
  return f.length === 4 ? [f[1], f[0], f[3], f[2]].join(',') : line;
}

function options(c: Case, chunks: readonly Uint8Array[], maxErrors?: number): ValidateDataFileOptions {
  async function* input(): AsyncIterable<Uint8Array> {
    for (const ch of chunks) yield ch;
  }
  return {
    file: `${c.name}.csv`,
    schema: schema(c.name),
    datasetType: c.type,
    input: input(),
    now: NOW,
    filters: [{ label: 'buys', eventType: 'buy' }, { label: 'valued', eventValueThreshold: 2 }],
    ...(maxErrors === undefined ? {} : { maxErrors }),
  };
}

/** Everything a caller can observe, ids included, as one JSON text (cheap to compare thousands of times). */
function observe(r: DataFileResult): string {
  const ids = (x: DataFileResult['ids']['users']) => (x === undefined ? undefined : { ids: [...x.ids()], counts: [...x.countsArray()] });
  return JSON.stringify({ findings: r.findings, totals: r.totals, truncated: r.truncated, profile: r.profile, users: ids(r.ids.users), items: ids(r.ids.items) }, null, 1);
}

async function run(c: Case, path: ReadPath, chunks: readonly Uint8Array[], maxErrors?: number): Promise<string> {
  return observe(await validateDataFileBy(options(c, chunks, maxErrors), path));
}

/** The raw bytes, with the "\xff" of the text kept as one invalid byte. */
function encode(text: string): Buffer {
  return Buffer.concat(text.split('\xff').flatMap((part, k) => (k === 0 ? [Buffer.from(part)] : [Buffer.from([0xff]), Buffer.from(part)])));
}

describe('byte-level fast path', () => {
  it.each(CASES)('$name: same findings, profile and ids as the general path, cut at every offset', async (c) => {
    const bytes = encode(c.text);
    const reference = await run(c, 'general', [bytes]);
    expect(reference).toContain('"code"');
    for (let cut = 0; cut <= bytes.length; cut += 1) {
      const parts = [bytes.subarray(0, cut), bytes.subarray(cut)];
      expect(await run(c, 'bytes', parts), `bytes path cut at ${cut}`).toBe(reference);
      expect(await run(c, 'general', parts), `general path cut at ${cut}`).toBe(reference);
    }
    const single = [...bytes].map((b) => Uint8Array.of(b));
    expect(await run(c, 'bytes', single)).toBe(reference);
  });

  it.each(CASES)('$name: same truncated findings when maxErrors cuts the list', async (c) => {
    const bytes = encode(c.text);
    for (const maxErrors of [1, 2, 3, 5]) expect(await run(c, 'bytes', [bytes], maxErrors)).toBe(await run(c, 'general', [bytes], maxErrors));
  });

  it('digit-form ids (prefix + fixed digits) count like any other id, next to ids of other forms with the same digits', async () => {
    // The first id fixes the form (U + 4 digits); V0001, U001, U00001, 0001 and U0001x share its digits but not its form.
    const users = ['U0001', 'V0001', 'U001', 'U0001', 'U00001', '0001', 'U9999', 'U0001x', 'U0002', 'U0001', 'V0001'];
    const items = ['P01', 'P02', 'P01', 'Q01', 'P1', 'P99', 'P02', 'P01', '01', 'P01', 'P03'];
    const lines = ['USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE', ...users.map((u, k) => `${u},${items[k]},${T + k},${k % 3 === 0 ? 'buy' : 'view'},${k % 2 === 0 ? '' : '"2"'}`)];
    const c: Case = { name: 'interactions', type: 'INTERACTIONS', text: lines.join('\n') };
    const bytes = Buffer.from(c.text);
    const reference = await run(c, 'general', [bytes]);
    const result = JSON.parse(reference) as { users: { ids: string[]; counts: number[] }; items: { ids: string[]; counts: number[] } };
    expect(result.users.ids).toEqual(['U0001', 'V0001', 'U001', 'U00001', '0001', 'U9999', 'U0001x', 'U0002']);
    expect(result.users.counts).toEqual([3, 2, 1, 1, 1, 1, 1, 1]);
    expect(result.items.counts).toEqual([4, 2, 1, 1, 1, 1, 1]);
    for (let cut = 0; cut <= bytes.length; cut += 1) {
      expect(await run(c, 'bytes', [bytes.subarray(0, cut), bytes.subarray(cut)]), `bytes path cut at ${cut}`).toBe(reference);
    }
  });

  it('reads "digit-form ids, epoch seconds, known event type" lines in one pass exactly as the general path, near misses included', async () => {
    // After the first lines fix the id forms and the known types, every line below is first tried
    // by the one-pass reader; each near miss must fall back to the split and give the same result.
    const lines = [
      'USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE',
      `U0001,P01,${T},View`,
      `U0002,P02,${T + 1},Purchase`,
      `U0003,P01,${T + 2},View`,
      `U0001,P03,${T + 3},Purchase\r`,
      `U0004,P01,${T + 4},ViewX`,
      `U0004,P01,${T + 5},Vie`,
      `U0004,P01,${T + 6},`,
      `U0004,P01,,View`,
      `U0004,P01,+${T},View`,
      `U0004,P01,${T}0,View`,
      `U0004,P01,${NOW + 90_000},View`,
      `U0004,P01,000${T},View`,
      `U0004,P01,${T},View,`,
      `U0004,P01,${T}`,
      `U00041,P01,${T},View`,
      `U004,P01,${T},View`,
      `U0004x,P01,${T},View`,
      `U0004,P1,${T},View`,
      `U0004,P01,${T},"View"`,
      `U0004,P01,${T},View\rX`,
      `U0004,P01,${T},Viewü`,
      `U0004,P01,${T},Purchase\r\r`,
      '',
      `V0005,P01,${T + 7},View`,
      `U0005,P04,${T + 8},View`,
      `U0002,P02,${T + 9 + 7 * 86_400},Purchase`,
      `U0006,P05,${T + 10},View`,
    ];
    // The usual column order, and another one (reported, then read by the general loop over columns).
    for (const text of [lines.join('\n'), lines.map(unusualOrder).join('\n')]) {
      const c: Case = { name: 'interactions', type: 'INTERACTIONS', text };
      const bytes = encode(c.text);
      const reference = await run(c, 'general', [bytes]);
      const oneScan = spyOnOneScan();
      expect(await run(c, 'bytes', [bytes])).toBe(reference);
      expect(oneScan.results().some((v) => v >= 0)).toBe(true);
      oneScan.restore();
      for (let cut = 0; cut <= bytes.length; cut += 1) {
        expect(await run(c, 'bytes', [bytes.subarray(0, cut), bytes.subarray(cut)]), `bytes path cut at ${cut}`).toBe(reference);
      }
      expect(await run(c, 'bytes', [...bytes].map((b) => Uint8Array.of(b)))).toBe(reference);
    }
  });

  it('reads ten-digit seconds and long digit-form ids a word at a time, and falls back on any byte just outside the digits', async () => {
    // Ids of 7 and 6 digits and 10-digit seconds take the four-digits-at-once reads; ':' and '/' sit
    // right after '9' and before '0', so each one in each position must send the line to the split.
    const good = (k: number): string => `U${String(29108 + k).padStart(7, '0')},P${String(3575 + k).padStart(6, '0')},${T + k},${k % 2 === 0 ? 'View' : 'Purchase'}`;
    const lines = ['USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE', good(0), good(1), good(2)];
    const seconds = String(T + 3);
    for (let at = 0; at < 10; at += 1) {
      for (const bad of [':', '/']) {
        lines.push(`U0029108,P003575,${seconds.slice(0, at)}${bad}${seconds.slice(at + 1)},View`);
        if (at < 7) lines.push(`U${'0029108'.slice(0, at)}${bad}${'0029108'.slice(at + 1)},P003575,${seconds},View`);
        if (at < 6) lines.push(`U0029108,P${'003575'.slice(0, at)}${bad}${'003575'.slice(at + 1)},${seconds},View`);
      }
      lines.push(good(3 + at));
    }
    lines.push(`U0029108,P003575,${seconds.slice(1)},View`, `U0029108,P003575,${seconds}1,View`, `U0029108,P003575,${seconds}:,View`, good(20));
    for (const text of [lines.join('\n'), lines.map(unusualOrder).join('\n')]) {
      const c: Case = { name: 'interactions', type: 'INTERACTIONS', text };
      const bytes = encode(c.text);
      const reference = await run(c, 'general', [bytes]);
      const oneScan = spyOnOneScan();
      expect(await run(c, 'bytes', [bytes])).toBe(reference);
      // The good lines between the near misses are taken in runs, and most near misses (those not
      // pushed to the parser with a declined one) are read by the one-pass reader first and left.
      const results = oneScan.results();
      expect(results.filter((v) => v >= 0).length).toBeGreaterThanOrEqual(8);
      expect(results.filter((v) => v < 0).length).toBeGreaterThanOrEqual(30);
      oneScan.restore();
      for (let cut = 0; cut <= bytes.length; cut += 1) {
        expect(await run(c, 'bytes', [bytes.subarray(0, cut), bytes.subarray(cut)]), `bytes path cut at ${cut}`).toBe(reference);
      }
    }
  });

  it('reports bad bytes where the general path does, whatever the chunking, with CR-only line ends', async () => {
    const c: Case = { name: 'interactions', type: 'INTERACTIONS', text: `USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE\ru1,i1,${T},view,\nu2,i\xff2,${T},view,\n` };
    const bytes = encode(c.text);
    const whole = (await validateDataFileBy(options(c, [bytes]), 'general')).findings.find((f) => f.code === 'utf8-invalid');
    expect(whole).toMatchObject({ line: 3, column: 5 });
    for (let cut = 0; cut <= bytes.length; cut += 1) {
      const r = await validateDataFileBy(options(c, [bytes.subarray(0, cut), bytes.subarray(cut)]), 'bytes');
      expect(r.findings.find((f) => f.code === 'utf8-invalid')).toEqual(whole);
    }
  });

  it('counts event types past the tracking cap exactly as the general path', async () => {
    const lines = ['USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE'];
    for (let k = 0; k < 1010; k += 1) lines.push(`u${k % 7},i${k % 11},${T + k},${k === 1005 ? 'buy' : `type${k}`},`);
    lines.push(`u1,i1,${T},buy,`);
    const c: Case = { name: 'interactions', type: 'INTERACTIONS', text: lines.join('\n') };
    const bytes = Buffer.from(c.text);
    const fast = (await validateDataFileBy(options(c, [bytes]), 'bytes')) as DataFileResult;
    expect(observe(fast)).toBe(await run(c, 'general', [bytes]));
    expect(fast.profile.interactions?.filters[0]?.interactions).toBe(2);
  });
});

describe('FastRows', () => {
  const fields = schema('interactions').fields.map(resolveField);
  const columns = fields.map((field) => ({ rule: columnRule(field, 'INTERACTIONS'), missing: 0, distinct: undefined }));
  const rows: number[] = [];
  const reader = new FastRows(columns, { userAt: 0, itemAt: 1, timeAt: 2, eventTypeAt: 3, eventValueAt: 4, idAt: -1 }, NOW, 100, undefined, undefined, {
    rows: (first, last) => {
      for (let line = first; line <= last; line += 1) rows.push(line);
    },
    duplicate: () => undefined,
  });
  const read = (text: string): [boolean, number] => [reader.read(Buffer.from(text), 0, 7), reader.lineEnd];

  it('takes a clean line and says where it ends', () => {
    const plain = `u1,i1,${T},view,\nnext`;
    const crlf = `u1,i1,${T},view,1.5\r\n`;
    expect(read(plain)).toEqual([true, plain.indexOf('\n')]);
    expect(read(crlf)).toEqual([true, crlf.length - 1]);
    reader.flush();
    expect(rows).toEqual([7, 7]);
  });

  it('declines, before counting, lines the general path must see', () => {
    const before = rows.length;
    for (const line of [`"u1",i1,${T},view,\n`, `ü,i1,${T},view,\n`, `u1,i1,${T}000,view,\n`, `u1,i1,${T},view\n`, `,i1,${T},view,\n`, `u1,i1,${T},view,x\n`, `u1\ri1,${T},view,\n`]) {
      expect(read(line), line).toEqual([false, line.length - 1 - (line.startsWith('ü') ? -1 : 0)]);
    }
    reader.flush();
    expect(rows.length).toBe(before);
    expect(columns.map((c) => c.missing)).toEqual([0, 0, 0, 0, 1]);
  });

  it('waits for the rest of a line cut by the chunk end', () => {
    expect(read(`u1,i1,${T},vi`)).toEqual([false, -1]);
    expect(read(`u1,i1,${T},view,\r`)).toEqual([false, -1]);
  });
});

describe('fourDigits', () => {
  it('reads every four-digit string and rejects every other byte in every position', () => {
    const b = new Uint8Array(4);
    for (let v = 0; v < 10_000; v += 1) {
      b.set(Buffer.from(String(v).padStart(4, '0')));
      expect(fourDigits(b, 0)).toBe(v);
    }
    for (let at = 0; at < 4; at += 1) {
      for (let x = 0; x < 256; x += 1) {
        for (const fill of [0x30, 0x39]) {
          b.fill(fill);
          b[at] = x;
          const want = x >= 0x30 && x <= 0x39 ? Number(Buffer.from(b).toString('latin1')) : -1;
          expect(fourDigits(b, 0)).toBe(want);
        }
      }
    }
  });
});
