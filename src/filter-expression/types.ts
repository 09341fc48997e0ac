/**
 * The parsed form of an Amazon Personalize filter expression. Pure data: the parser builds it,
 * the evaluator reads it, and nothing here knows about the emulator or the reconciler.
 */

/** What a sub-expression keeps or removes: items (recommendations), users (segments), actions. */
export type FilterTarget = 'ItemID' | 'UserID' | 'ActionID';

export type FilterAction = 'INCLUDE' | 'EXCLUDE';

/** A dataset that may appear on the left of a condition in the WHERE clause. */
export type FilterDataset = 'Items' | 'Users' | 'Interactions';

/** The request-time entities an expression may compare against. */
export type CurrentEntity = 'CurrentItem' | 'CurrentUser';

export type FilterOperator = 'IN' | 'NOT IN' | '=' | '<' | '>' | '<=' | '>=';

/** `Dataset.FIELD`, with the 1-based column where it starts. */
export interface FieldRef<D extends string = FilterDataset> {
  readonly dataset: D;
  readonly field: string;
  readonly column: number;
}

/** A literal as written: strings were double-quoted, numbers were bare. */
export type FilterLiteral = { readonly kind: 'string'; readonly value: string } | { readonly kind: 'number'; readonly value: number };

/**
 * The right-hand side of a condition. `list` holds at least one literal; a `param` name is
 * stored without its `$`; `current` reads the same request's current item or user.
 */
export type FilterOperand =
  | { readonly kind: 'list'; readonly values: readonly FilterLiteral[] }
  | { readonly kind: 'param'; readonly name: string }
  | { readonly kind: 'current'; readonly ref: FieldRef<CurrentEntity> };

export interface FilterCondition<D extends string = FilterDataset> {
  readonly kind: 'condition';
  readonly field: FieldRef<D>;
  readonly operator: FilterOperator;
  readonly operand: FilterOperand;
}

/** AND binds tighter than OR; parentheses group. */
export type BooleanExpression<D extends string = FilterDataset> =
  | FilterCondition<D>
  | { readonly kind: 'and' | 'or'; readonly left: BooleanExpression<D>; readonly right: BooleanExpression<D> };

/**
 * One `INCLUDE|EXCLUDE target WHERE ... [IF ...]` between pipes. Invariants (checked by the
 * parser): every WHERE condition reads the same `dataset`; Interactions conditions read only
 * EVENT_TYPE with IN / NOT IN; NOT IN never takes a parameter; `when` (the IF clause) reads only
 * CurrentUser.
 */
export interface SubExpression {
  readonly action: FilterAction;
  readonly target: FilterTarget;
  readonly dataset: FilterDataset;
  readonly where: BooleanExpression;
  readonly when?: BooleanExpression<'CurrentUser'>;
  /** Parameter names (without `$`) used in this sub-expression, in order of first use. */
  readonly parameters: readonly string[];
}

/** A whole filter: one or more sub-expressions joined by `|`, all with the same target. */
export interface FilterExpression {
  readonly expressions: readonly SubExpression[];
  readonly target: FilterTarget;
  /** Every parameter name (without `$`), in order of first use. */
  readonly parameters: readonly string[];
  /** Distinct `Dataset.FIELD` names read, in order of first use (the service caps them at 10). */
  readonly fields: readonly string[];
}

export type ParseResult = { readonly ok: true; readonly expression: FilterExpression } | { readonly ok: false; readonly message: string; readonly column: number };
