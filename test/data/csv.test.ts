import { describe, expect, it } from 'vitest';
import { CsvParser, type CsvProblem, type CsvRecord } from '../../src/data/csv.ts';

function parse(chunks: readonly string[]): { records: CsvRecord[]; problems: CsvProblem[] } {
  const records: CsvRecord[] = [];
  const problems: CsvProblem[] = [];
  const p = new CsvParser((r) => records.push(r), (x) => problems.push(x));
  for (const c of chunks) p.push(c);
  p.end();
  return { records, problems };
}

const TEXT = 'a,b,c\r\n1,"x,y",3\n\n4,"say ""hi""\nthere",6\n7,8,9';

describe('CsvParser', () => {
  it('parses quoting, embedded commas and newlines, CRLF and blank lines with the right start lines', () => {
    const { records, problems } = parse([TEXT]);
    expect(problems).toEqual([]);
    expect(records.map((r) => [r.line, ...r.fields])).toEqual([
      [1, 'a', 'b', 'c'],
      [2, '1', 'x,y', '3'],
      [4, '4', 'say "hi"\nthere', '6'],
      [6, '7', '8', '9'],
    ]);
  });

  it('gives the same records whatever the chunk boundaries', () => {
    const whole = parse([TEXT]).records;
    for (let cut = 1; cut < TEXT.length; cut += 1) {
      expect(parse([TEXT.slice(0, cut), TEXT.slice(cut)]).records).toEqual(whole);
    }
    expect(parse([...TEXT]).records).toEqual(whole);
  });

  it('counts a CRLF inside quotes as one line even when a chunk ends between CR and LF', () => {
    const text = 'a,b\r\n"x\r\ny",1\r\nlast,2\r\n';
    const whole = parse([text]).records;
    expect(whole.map((r) => r.line)).toEqual([1, 2, 4]);
    for (let cut = 1; cut < text.length; cut += 1) expect(parse([text.slice(0, cut), text.slice(cut)]).records).toEqual(whole);
  });

  it('reports field start columns and quoting', () => {
    const seen: { line: number; column: number; quoted: boolean }[] = [];
    const p = new CsvParser(() => seen.push(p.fieldPosition(1)));
    p.push('ab,cd\nx,"y"\n');
    p.end();
    expect(seen).toEqual([
      { line: 1, column: 4, quoted: false },
      { line: 2, column: 3, quoted: true },
    ]);
  });

  it('strips a byte order mark', () => {
    expect(parse(['\ufeffA,B\n1,2\n']).records[0]?.fields).toEqual(['A', 'B']);
  });
});
