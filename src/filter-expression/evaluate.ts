import { conditions } from './parse.ts';
import type { BooleanExpression, FilterCondition, FilterExpression, FilterOperand, SubExpression } from './types.ts';
import { parseFilterValue } from './values.ts';

/** One interaction of a user, as filters see it. */
export interface FilterInteraction {
  readonly itemId: string;
  readonly eventType: string;
  readonly eventValue?: number;
  /** Seconds since the epoch, as in the Interactions dataset. */
  readonly timestamp: number;
}

/**
 * A metadata row: column name in upper case -> value as written in the data. Categorical values
 * holding several entries separate them with `|`, as Personalize's CSV does.
 */
export type MetadataRow = Readonly<Record<string, string>>;

/** What a filter may read. Lookups return undefined for ids without metadata. */
export interface FilterData {
  item(itemId: string): MetadataRow | undefined;
  user(userId: string): MetadataRow | undefined;
  /** Every interaction of the user, bulk and streamed, in any order. */
  interactions(userId: string): readonly FilterInteraction[];
}

/** The request a filter applies to: whose recommendations, next to which item, with which values. */
export interface FilterRequest {
  readonly userId?: string;
  /** The item of a related-items request: what `CurrentItem.X` reads. */
  readonly itemId?: string;
  /** Parameter name (without `$`) -> `"a","b"`, as `filterValues` carries it. */
  readonly filterValues?: Readonly<Record<string, string>>;
}

/** A filter bound to one request: `passes` says whether a candidate id may be returned. */
export type BoundFilter = { readonly ok: true; passes(candidateId: string): boolean } | { readonly ok: false; readonly message: string };

/** Personalize considers at most this many recent interactions per user and event type. */
export const INTERACTIONS_PER_EVENT_TYPE = 100;

type Predicate = (candidateId: string) => boolean;

/**
 * Binds `expression` to a request. Sub-expressions are evaluated independently: the result keeps
 * candidates matched by any applicable INCLUDE (all candidates when none applies) minus those
 * matched by any applicable EXCLUDE. An EXCLUDE whose parameters have no values, or any
 * sub-expression whose IF clause is false for the current user, does not apply; an INCLUDE whose
 * parameters have no values is an error, as in the service.
 */
export function bindFilter(expression: FilterExpression, data: FilterData, request: FilterRequest): BoundFilter {
  const includes: Predicate[] = [];
  const excludes: Predicate[] = [];
  for (const sub of expression.expressions) {
    const values = new Map<string, string[]>();
    let missing: string | undefined;
    for (const name of sub.parameters) {
      const raw = request.filterValues?.[name];
      if (raw === undefined) {
        missing = name;
        break;
      }
      const parsed = parseFilterValue(raw);
      if (!parsed.ok) return { ok: false, message: `filterValues ${name}: ${parsed.message}` };
      values.set(name, parsed.values);
    }
    if (missing !== undefined) {
      if (sub.action === 'INCLUDE') return { ok: false, message: `filterValues has no value for $${missing}, which an INCLUDE expression needs` };
      continue;
    }
    const binder = new Binder(sub, data, request, values);
    if (sub.when !== undefined && !binder.userCondition(sub.when)) continue;
    (sub.action === 'INCLUDE' ? includes : excludes).push(binder.where());
  }
  return {
    ok: true,
    passes: (id) => (includes.length === 0 || includes.some((p) => p(id))) && !excludes.some((p) => p(id)),
  };
}

class Binder {
  private currentItemRow: MetadataRow | undefined;

  constructor(
    private readonly sub: SubExpression,
    private readonly data: FilterData,
    private readonly request: FilterRequest,
    private readonly values: ReadonlyMap<string, string[]>,
  ) {
    this.currentItemRow = request.itemId === undefined ? undefined : data.item(request.itemId);
  }

  where(): Predicate {
    return this.combine(this.sub.where, (c) => this.condition(c));
  }

  userCondition(when: BooleanExpression<'CurrentUser'>): boolean {
    const row = this.request.userId === undefined ? undefined : this.data.user(this.request.userId);
    return this.combine(when, (c) => {
      const test = this.rowTest(c);
      return () => test(row);
    })('');
  }

  private combine<D extends string>(expression: BooleanExpression<D>, leaf: (c: FilterCondition<D>) => Predicate): Predicate {
    if (expression.kind === 'condition') return leaf(expression);
    const left = this.combine(expression.left, leaf);
    const right = this.combine(expression.right, leaf);
    return expression.kind === 'and' ? (id) => left(id) && right(id) : (id) => left(id) || right(id);
  }

  private condition(c: FilterCondition): Predicate {
    if (c.field.dataset === 'Interactions') return this.interactionCondition(c);
    const test = this.rowTest(c);
    const lookup = c.field.dataset === 'Items' ? (id: string) => this.data.item(id) : (id: string) => this.data.user(id);
    return (id) => test(lookup(id));
  }

  /**
   * For item filters, the items the requesting user interacted with by a matching event type; for
   * user filters, the users who did. Event types match without regard to case.
   */
  private interactionCondition(c: FilterCondition): Predicate {
    const wanted = new Set(this.operandValues(c.operand).map((v) => v.toLowerCase()));
    const matches = (eventType: string): boolean => wanted.has(eventType.toLowerCase()) === (c.operator === 'IN');
    if (this.sub.target === 'UserID') return (userId) => recent(this.data.interactions(userId)).some((e) => matches(e.eventType));
    const items = new Set<string>();
    if (this.request.userId !== undefined) for (const e of recent(this.data.interactions(this.request.userId))) if (matches(e.eventType)) items.add(e.itemId);
    return (id) => items.has(id);
  }

  /** A test of one metadata row against a condition; a missing row or value never matches. */
  private rowTest<D extends string>(c: FilterCondition<D>): (row: MetadataRow | undefined) => boolean {
    const column = c.field.field.toUpperCase();
    const wanted = this.operandValues(c.operand);
    if (c.operator === 'IN' || c.operator === 'NOT IN') {
      const set = new Set(wanted.map(canonical));
      const isIn = c.operator === 'IN';
      return (row) => {
        const raw = row?.[column];
        if (raw === undefined || raw === '') return false;
        return splitValues(raw).some((v) => set.has(canonical(v))) === isIn;
      };
    }
    if (c.operator === '=' && wanted.some((w) => !isNumeric(w))) {
      return (row) => {
        const raw = row?.[column];
        return raw !== undefined && splitValues(raw).some((v) => wanted.includes(v));
      };
    }
    const bound = wanted.length === 0 ? NaN : Number(wanted[0]);
    const compare = COMPARE[c.operator];
    return (row) => {
      const raw = row?.[column];
      if (raw === undefined || raw.trim() === '') return false;
      const value = Number(raw);
      return Number.isFinite(value) && Number.isFinite(bound) && compare(value, bound);
    };
  }

  private operandValues(operand: FilterOperand): string[] {
    if (operand.kind === 'list') return operand.values.map((v) => String(v.value));
    if (operand.kind === 'param') return this.values.get(operand.name) ?? [];
    const raw = this.currentItemRow?.[operand.ref.field.toUpperCase()];
    return raw === undefined || raw === '' ? [] : splitValues(raw);
  }
}

const COMPARE: Readonly<Record<'=' | '<' | '>' | '<=' | '>=', (a: number, b: number) => boolean>> = {
  '=': (a, b) => a === b,
  '<': (a, b) => a < b,
  '>': (a, b) => a > b,
  '<=': (a, b) => a <= b,
  '>=': (a, b) => a >= b,
};

/** The most recent interactions per event type, as many as the service considers. */
function recent(events: readonly FilterInteraction[]): readonly FilterInteraction[] {
  const perType = new Map<string, number>();
  for (const e of events) perType.set(e.eventType.toLowerCase(), (perType.get(e.eventType.toLowerCase()) ?? 0) + 1);
  if ([...perType.values()].every((n) => n <= INTERACTIONS_PER_EVENT_TYPE)) return events;
  const sorted = [...events].sort((a, b) => b.timestamp - a.timestamp);
  const kept = new Map<string, number>();
  return sorted.filter((e) => {
    const type = e.eventType.toLowerCase();
    const n = kept.get(type) ?? 0;
    kept.set(type, n + 1);
    return n < INTERACTIONS_PER_EVENT_TYPE;
  });
}

function splitValues(raw: string): string[] {
  return raw.includes('|') ? raw.split('|').map((v) => v.trim()) : [raw.trim()];
}

function isNumeric(value: string): boolean {
  return value.trim() !== '' && Number.isFinite(Number(value));
}

/** Numbers compare by value (`1999` matches `1999.0`); everything else by exact text. */
function canonical(value: string): string {
  return isNumeric(value) ? `#${Number(value)}` : value;
}

/** Every `Dataset.FIELD` a filter reads, for callers that load only the columns they need. */
export function fieldsRead(expression: FilterExpression): { items: string[]; users: string[]; interactions: boolean } {
  const items = new Set<string>();
  const users = new Set<string>();
  let interactions = false;
  for (const sub of expression.expressions) {
    for (const c of conditions(sub.where)) {
      if (c.field.dataset === 'Items') items.add(c.field.field.toUpperCase());
      else if (c.field.dataset === 'Users') users.add(c.field.field.toUpperCase());
      else interactions = true;
      if (c.operand.kind === 'current') items.add(c.operand.ref.field.toUpperCase());
    }
    if (sub.when !== undefined) for (const c of conditions(sub.when)) users.add(c.field.field.toUpperCase());
  }
  return { items: [...items], users: [...users], interactions };
}
