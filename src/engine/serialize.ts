import { IdDictionary } from './id-dictionary.ts';
import { PopularityModel } from './models/popularity.ts';
import { SimsModel } from './models/sims.ts';
import type { SimsSettings } from './models/sims.ts';
import { UserPersonalizationModel } from './models/user-personalization.ts';
import type { UserPersonalizationSettings } from './models/user-personalization.ts';
import { familyOf, parseRecipe } from './recipes.ts';
import { ScoringModel } from './scoring-model.ts';
import type { ModelState } from './scoring-model.ts';
import type { EngineResult, Model, ModelFamily, RecipeName } from './types.ts';

/** File magic and format version; bump the digit when the layout changes. */
const MAGIC = 'PZE2';
/**
 * Versions still read. Version 1 user-personalization models lack the repeat and trend arrays,
 * and models written before the neighbour signal lack its arrays and settings; they load without
 * those signals, which ranks exactly as they did when written.
 */
const READABLE = new Set(['PZE1', MAGIC]);

type ArrayType = 'f32' | 'f64' | 'i32';
type NumericArray = Float32Array | Float64Array | Int32Array;

interface Header {
  readonly family: ModelFamily;
  readonly recipe: RecipeName;
  readonly users: readonly string[];
  readonly items: readonly string[];
  readonly settings: Readonly<Record<string, number>>;
  readonly arrays: readonly { name: string; type: ArrayType; length: number; offset: number }[];
}

/**
 * Layout: magic (4 bytes), header length (uint32 LE), header JSON, zero padding to 8 bytes, then
 * each array's raw little-endian bytes at its recorded offset (8-byte aligned). Array names are
 * written in sorted order, so the same model always gives the same bytes.
 */
export function serializeModel(model: Model): Buffer {
  if (!(model instanceof ScoringModel)) throw new TypeError('serializeModel accepts models made by trainModel or deserializeModel');
  const state = model.state();
  const names = Object.keys(state.arrays).sort();
  let offset = 0;
  const entries = names.map((name) => {
    const array = state.arrays[name] as NumericArray;
    const entry = { name, type: typeOf(array), length: array.length, offset };
    offset += align8(array.byteLength);
    return entry;
  });
  const header: Header = { family: state.family, recipe: state.recipe, users: state.users, items: state.items, settings: state.settings, arrays: entries };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const start = align8(8 + json.length);
  const out = Buffer.alloc(start + offset);
  out.write(MAGIC, 0, 'ascii');
  out.writeUInt32LE(json.length, 4);
  json.copy(out, 8);
  entries.forEach((entry) => {
    const array = state.arrays[entry.name] as NumericArray;
    Buffer.from(array.buffer, array.byteOffset, array.byteLength).copy(out, start + entry.offset);
  });
  return out;
}

export function deserializeModel(buf: Buffer): EngineResult<Model> {
  const corrupt = (why: string): EngineResult<Model> => ({ ok: false, failure: { code: 'corrupt-model', message: `Model data is unreadable: ${why}.` } });
  if (buf.length < 8 || !READABLE.has(buf.toString('ascii', 0, 4))) return corrupt('not an engine model');
  const length = buf.readUInt32LE(4);
  let header: Header;
  try {
    header = JSON.parse(buf.toString('utf8', 8, 8 + length)) as Header;
  } catch {
    return corrupt('bad header');
  }
  const recipe = parseRecipe(header.recipe);
  if (recipe === undefined || familyOf(recipe) !== header.family) return corrupt(`unknown recipe ${header.recipe}`);
  const start = align8(8 + length);
  const arrays: Record<string, NumericArray> = {};
  for (const entry of header.arrays) {
    const bytes = entry.length * (entry.type === 'f64' ? 8 : 4);
    if (start + entry.offset + bytes > buf.length) return corrupt(`array ${entry.name} is truncated`);
    // Copy into a fresh, aligned buffer: the input's byteOffset need not be a multiple of 8.
    const raw = new Uint8Array(bytes);
    raw.set(buf.subarray(start + entry.offset, start + entry.offset + bytes));
    arrays[entry.name] = entry.type === 'f64' ? new Float64Array(raw.buffer) : entry.type === 'f32' ? new Float32Array(raw.buffer) : new Int32Array(raw.buffer);
  }
  return { ok: true, value: rebuild({ ...header, recipe, arrays }) };
}

function rebuild(state: ModelState): Model {
  const users = new IdDictionary(state.users);
  const items = new IdDictionary(state.items);
  const a = state.arrays;
  const f64 = (name: string): Float64Array => a[name] as Float64Array;
  const f32 = (name: string): Float32Array => a[name] as Float32Array;
  const i32 = (name: string): Int32Array => a[name] as Int32Array;
  const optional = <T extends NumericArray>(name: string, empty: T): T => (a[name] as T | undefined) ?? empty;
  switch (state.family) {
    case 'popularity':
      return new PopularityModel(state.recipe, users, items, f64('popularity'));
    case 'sims':
      return new SimsModel(
        state.recipe,
        users,
        items,
        f64('popularity'),
        state.settings as unknown as SimsSettings,
        { offsets: i32('neighbourOffsets'), items: i32('neighbourItems'), scores: f32('neighbourScores') },
        { offsets: i32('historyOffsets'), items: i32('historyItems') },
      );
    case 'user-personalization': {
      const inputColumns = state.settings['inputColumns'] ?? 0;
      return new UserPersonalizationModel(
        state.recipe,
        users,
        items,
        f64('popularity'),
        // Models written before the neighbour signal lack its settings: it stays off for them.
        { ...state.settings, neighbour_weight: state.settings['neighbour_weight'] ?? 0, neighbour_recent_items: state.settings['neighbour_recent_items'] ?? 1 } as unknown as UserPersonalizationSettings,
        i32('kept'),
        f32('weights'),
        { rows: users.size, cols: inputColumns, offsets: i32('inputOffsets'), indices: i32('inputIndices'), values: f32('inputValues') },
        {
          offsets: optional('repeatOffsets', new Int32Array(users.size + 1)),
          items: optional('repeatItems', new Int32Array(0)),
          scores: optional('repeatScores', new Float32Array(0)),
        },
        optional('trend', new Float64Array(0)),
        {
          offsets: optional('neighbourOffsets', new Int32Array(items.size + 1)),
          items: optional('neighbourItems', new Int32Array(0)),
          scores: optional('neighbourScores', new Float32Array(0)),
        },
        { offsets: optional('recentOffsets', new Int32Array(users.size + 1)), items: optional('recentItems', new Int32Array(0)) },
      );
    }
  }
}

function typeOf(array: NumericArray): ArrayType {
  if (array instanceof Float64Array) return 'f64';
  if (array instanceof Float32Array) return 'f32';
  return 'i32';
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}
