import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';

const FLUSH_AT = 1 << 20;

/**
 * Appends CSV lines to a file in large chunks, honouring the stream's back-pressure, so writing
 * tens of millions of rows holds only about a megabyte of them at a time. Lines are pushed
 * synchronously (a promise per row would cost more than making the row) and flushed by `drain`.
 */
export class CsvFileWriter {
  private pending: string[] = [];
  private size = 0;
  rows = 0;

  private constructor(private readonly stream: WriteStream) {}

  static open(path: string, columns: readonly string[]): CsvFileWriter {
    const writer = new CsvFileWriter(createWriteStream(path, { encoding: 'utf8' }));
    writer.pending.push(columns.join(','));
    return writer;
  }

  push(line: string): void {
    this.pending.push(line);
    this.size += line.length + 1;
    this.rows += 1;
  }

  /** Writes what is buffered once it is large; awaits the disk when the stream asks to. */
  async drain(force = false): Promise<void> {
    if (this.pending.length === 0 || (!force && this.size < FLUSH_AT)) return;
    const chunk = `${this.pending.join('\n')}\n`;
    this.pending = [];
    this.size = 0;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    await this.drain(true);
    this.stream.end();
    await finished(this.stream);
  }
}
