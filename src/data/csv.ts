/**
 * A streaming RFC 4180 CSV parser. Text is pushed in chunks of any size; each complete record is
 * handed to `onRecord` with the 1-based line it starts on, so findings can point at the line a
 * user sees in an editor. Quoted fields may hold commas, quotes (doubled) and line breaks; CRLF
 * and LF both end a record. Problems with the file's structure go to `onProblem` and parsing
 * continues, so one run reports all of them.
 *
 * The parser is synchronous and callback-based because a per-record promise costs more than the
 * parsing itself at the row counts we validate (tens of millions). Lines without quotes or a
 * lone CR take a fast path built on `indexOf` (native scans); everything else goes through a
 * character-by-character state machine, which also carries records split across chunks.
 */
export interface CsvRecord {
  readonly fields: string[];
  /** 1-based line on which the record starts. */
  readonly line: number;
}

export type CsvProblemCode = 'csv-unterminated-quote' | 'csv-stray-quote';

export interface CsvProblem {
  readonly code: CsvProblemCode;
  readonly line: number;
  /** 1-based column (in characters) where the problem was seen. */
  readonly column: number;
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

export class CsvParser {
  private fields: string[] = [];
  private field = '';
  private inQuotes = false;
  /** The previous character was a closing-or-escaping quote inside a quoted field. */
  private quotePending = false;
  private fieldWasQuoted = false;
  private line = 1;
  private recordLine = 1;
  private column = 0;
  private atRecordStart = true;
  private pendingCr = false;
  /** A quoted field's CR ended the previous push: an LF starting this one belongs to it. */
  private quotedCr = false;
  private first = true;
  private fieldLine = 1;
  private fieldColumn = 1;
  private starts = new Int32Array(64);
  private quoted = new Uint8Array(32);

  constructor(
    private readonly onRecord: (record: CsvRecord) => void,
    private readonly onProblem: (problem: CsvProblem) => void = () => {},
  ) {}

  /**
   * The physical line the parser is on: inside `onRecord`, the line on which that record ends;
   * between pushes, the line the next character belongs to.
   */
  get currentLine(): number {
    return this.line;
  }

  /**
   * Where field `index` of the record being delivered starts, and whether it was quoted. Valid
   * only inside `onRecord`; validators call it for the rare field they report on.
   */
  fieldPosition(index: number): { line: number; column: number; quoted: boolean } {
    return { line: this.starts[index * 2] ?? this.recordLine, column: this.starts[index * 2 + 1] ?? 1, quoted: this.quoted[index] === 1 };
  }

  /**
   * True between records: nothing of a record is pending, so the next line may be read by
   * someone else (the validator's byte-level path) and accounted for with `skipLines`.
   */
  get idle(): boolean {
    return this.atRecordStart && !this.pendingCr && !this.quotedCr && !this.inQuotes && !this.fieldWasQuoted && this.fields.length === 0 && this.field.length === 0;
  }

  /** Counts `lines` complete lines read elsewhere while the parser was `idle`. */
  skipLines(lines: number): void {
    this.line += lines;
    this.recordLine = this.line;
    this.first = false;
  }

  push(text: string): void {
    let i = 0;
    const n = text.length;
    if (this.first && n > 0) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) i = 1; // a UTF-8 byte order mark is not data
    }
    let nextQuote = -1;
    let nextCr = -1;
    while (i < n) {
      if (this.atRecordStart && !this.pendingCr && !this.fieldWasQuoted && this.fields.length === 0 && this.field.length === 0) {
        const lf = text.indexOf('\n', i);
        if (lf === -1) {
          i = this.slow(text, i, n);
          continue;
        }
        if (nextQuote < i && nextQuote !== n) {
          nextQuote = text.indexOf('"', i);
          if (nextQuote === -1) nextQuote = n;
        }
        if (nextCr < i && nextCr !== n) {
          nextCr = text.indexOf('\r', i);
          if (nextCr === -1) nextCr = n;
        }
        let end = lf;
        if (nextCr === lf - 1 && lf > i) end = lf - 1;
        if (nextQuote < lf || nextCr < end) {
          i = this.slow(text, i, n);
          continue;
        }
        if (end > i) this.fastRecord(text, i, end);
        this.line += 1;
        this.recordLine = this.line;
        i = lf + 1;
        continue;
      }
      i = this.slow(text, i, n);
    }
  }

  /** One record with no quotes and no CR inside, between `start` and `end` (exclusive). */
  private fastRecord(text: string, start: number, end: number): void {
    const fields: string[] = [];
    let s = start;
    let k = 0;
    for (;;) {
      let e = text.indexOf(',', s);
      if (e === -1 || e > end) e = end;
      this.markStart(k, this.line, s - start + 1, 0);
      fields.push(text.slice(s, e));
      k += 1;
      if (e === end) break;
      s = e + 1;
    }
    this.onRecord({ fields, line: this.line });
  }

  private markStart(k: number, line: number, column: number, quoted: number): void {
    if (k * 2 + 1 >= this.starts.length) {
      const grown = new Int32Array(this.starts.length * 2);
      grown.set(this.starts);
      this.starts = grown;
      const q = new Uint8Array(this.quoted.length * 2);
      q.set(this.quoted);
      this.quoted = q;
    }
    this.starts[k * 2] = line;
    this.starts[k * 2 + 1] = column;
    this.quoted[k] = quoted;
  }

  /** The state machine; returns after the record in progress ends, or at the end of the text. */
  private slow(text: string, i: number, n: number): number {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (this.quotedCr) {
        this.quotedCr = false;
        if (c === LF) {
          this.field += '\n';
          i += 1;
          continue;
        }
      }
      if (this.pendingCr) {
        this.pendingCr = false;
        if (c === LF) {
          i += 1;
          continue;
        }
      }
      if (this.atRecordStart && this.fields.length === 0 && this.field.length === 0 && !this.fieldWasQuoted) {
        this.fieldLine = this.line;
        this.fieldColumn = this.column + 1;
      }
      if (this.inQuotes) {
        if (this.quotePending) {
          this.quotePending = false;
          if (c === QUOTE) {
            this.field += '"';
            this.column += 1;
            i += 1;
            continue;
          }
          this.inQuotes = false;
          // fall through to unquoted handling of c
        } else {
          // Copy a run of ordinary characters inside quotes.
          let j = i;
          while (j < n) {
            const d = text.charCodeAt(j);
            if (d === QUOTE || d === LF || d === CR) break;
            j += 1;
          }
          if (j > i) {
            this.field += text.slice(i, j);
            this.column += j - i;
            i = j;
            continue;
          }
          if (c === QUOTE) this.quotePending = true;
          else {
            this.field += text[i];
            this.line += 1;
            this.column = 0;
            if (c === CR && i + 1 === n) this.quotedCr = true;
            else if (c === CR && text.charCodeAt(i + 1) === LF) {
              this.field += '\n';
              i += 1;
            }
          }
          this.column += 1;
          i += 1;
          continue;
        }
      }
      let j = i;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === COMMA || d === LF || d === CR || d === QUOTE) break;
        j += 1;
      }
      if (j > i) {
        if (this.fieldWasQuoted) this.onProblem({ code: 'csv-stray-quote', line: this.line, column: this.column + 1 });
        this.field += text.slice(i, j);
        this.column += j - i;
        this.atRecordStart = false;
        i = j;
        continue;
      }
      this.column += 1;
      if (c === COMMA) {
        this.endField();
        this.atRecordStart = false;
        this.fieldLine = this.line;
        this.fieldColumn = this.column + 1;
      } else if (c === QUOTE) {
        if (this.field.length === 0 && !this.fieldWasQuoted) {
          this.inQuotes = true;
          this.fieldWasQuoted = true;
          this.atRecordStart = false;
        } else {
          this.onProblem({ code: 'csv-stray-quote', line: this.line, column: this.column });
          this.field += '"';
        }
      } else {
        // LF or CR: end of record.
        this.endRecord();
        this.line += 1;
        this.column = 0;
        this.recordLine = this.line;
        if (c === CR) this.pendingCr = true;
        i += 1;
        return i;
      }
      i += 1;
    }
    return i;
  }

  /** Flushes the last record (a file need not end with a newline) and reports an open quote. */
  end(): void {
    if (this.inQuotes && !this.quotePending) {
      this.onProblem({ code: 'csv-unterminated-quote', line: this.recordLine, column: 1 });
    }
    this.inQuotes = false;
    this.quotePending = false;
    if (!this.atRecordStart || this.fields.length > 0 || this.field.length > 0) this.endRecord();
  }

  private endField(): void {
    this.markStart(this.fields.length, this.fieldLine, this.fieldColumn, this.fieldWasQuoted ? 1 : 0);
    this.fields.push(this.field);
    this.field = '';
    this.fieldWasQuoted = false;
  }

  private endRecord(): void {
    if (this.atRecordStart && this.fields.length === 0 && this.field.length === 0 && !this.fieldWasQuoted) {
      // A blank line: no record. Validators see the gap in line numbers.
      return;
    }
    this.endField();
    const fields = this.fields;
    this.fields = [];
    this.atRecordStart = true;
    this.onRecord({ fields, line: this.recordLine });
  }
}

/**
 * Parses a byte stream (a file or an S3 object) as UTF-8 CSV. `fatal` decoding makes invalid
 * UTF-8 an error rather than silently replaced characters, as the service would reject it.
 */
export async function parseCsvStream(
  input: AsyncIterable<Uint8Array>,
  onRecord: (record: CsvRecord) => void,
  onProblem?: (problem: CsvProblem) => void,
): Promise<void> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const parser = new CsvParser(onRecord, onProblem);
  for await (const chunk of input) parser.push(decoder.decode(chunk, { stream: true }));
  parser.push(decoder.decode());
  parser.end();
}
