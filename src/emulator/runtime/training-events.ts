import { existsSync, openSync } from 'node:fs';
import { csvRecord, eventRow, readStream, streamPath, type StoredEvent, type StreamOwner } from './event-log.ts';

/**
 * The events PutEvents streamed into an Interactions dataset, for a training: an open descriptor
 * (owned by the caller, like the bulk file's) and the bulk file's header, whose column order the
 * events are written in.
 */
export interface StreamedEvents {
  readonly fd: number;
  readonly columns: readonly string[];
}

/** Opens the dataset's event stream, if any event was put; the descriptor is pushed to `fds`. */
export function openStreamedEvents(personalizeDir: string, dataset: StreamOwner & { readonly attrs: { readonly data?: { readonly columns: readonly string[] } } }, fds: number[]): StreamedEvents | undefined {
  const columns = dataset.attrs.data?.columns;
  const path = streamPath(personalizeDir, dataset, 'events');
  if (columns === undefined || !existsSync(path)) return undefined;
  const fd = openSync(path, 'r');
  fds.push(fd);
  return { fd, columns };
}

/**
 * The bulk Interactions bytes followed by the streamed events as rows of the same file, so the
 * loader sees one CSV: what a new version trains on is the imported data plus every event since.
 */
export async function* withStreamedEvents(bulk: AsyncIterable<Uint8Array>, streamed: StreamedEvents | undefined): AsyncGenerator<Uint8Array> {
  let lastByte = 10;
  for await (const chunk of bulk) {
    if (chunk.length > 0) lastByte = chunk[chunk.length - 1] as number;
    yield chunk;
  }
  if (streamed === undefined) return;
  // An event without an item cannot be an Interactions row; it still counts for filters by session.
  const events = readStream<StoredEvent>(streamed.fd).filter((e) => e.itemId !== '');
  if (events.length === 0) return;
  const rows = events.map((e) => csvRecord(eventRow(streamed.columns, e))).join('');
  yield Buffer.from(lastByte === 10 ? rows : `\n${rows}`, 'utf8');
}
