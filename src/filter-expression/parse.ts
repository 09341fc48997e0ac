import { tokenize, type Token } from './tokens.ts';
import type {
  BooleanExpression,
  CurrentEntity,
  FieldRef,
  FilterAction,
  FilterCondition,
  FilterDataset,
  FilterExpression,
  FilterLiteral,
  FilterOperand,
  FilterOperator,
  FilterTarget,
  ParseResult,
  SubExpression,
} from './types.ts';

/** The service's limit on `filterExpression` (CreateFilter). */
export const MAX_FILTER_EXPRESSION_LENGTH = 2500;
/** Distinct dataset fields one filter may read. */
export const MAX_FILTER_FIELDS = 10;

const TARGETS: readonly FilterTarget[] = ['ItemID', 'UserID', 'ActionID'];
const DATASETS: readonly FilterDataset[] = ['Items', 'Users', 'Interactions'];
const CURRENT: readonly CurrentEntity[] = ['CurrentItem', 'CurrentUser'];
const COMPARISONS = new Set(['=', '<', '>', '<=', '>=']);

/** Thrown inside the parser only; `parseFilterExpression` turns it into a value. */
class ParseError extends Error {
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(message);
  }
}

/**
 * Parses a Personalize filter expression:
 * `INCLUDE|EXCLUDE ItemID|UserID|ActionID WHERE <conditions> [IF <CurrentUser conditions>]`,
 * several joined by `|`. A condition is `Dataset.FIELD IN (values) | IN ($PARAM) | NOT IN (values)
 * | IN CurrentItem.FIELD` or a numeric comparison (`= < > <= >=`) against a number, a `$PARAM` or
 * `CurrentItem.FIELD`. Keywords and dataset names are matched without regard to case. On failure
 * the message says what was expected and `column` (1-based) where.
 */
export function parseFilterExpression(text: string): ParseResult {
  if (text.trim() === '') return { ok: false, message: 'expected INCLUDE or EXCLUDE: the expression is empty', column: 1 };
  if (text.length > MAX_FILTER_EXPRESSION_LENGTH) {
    return { ok: false, message: `the expression is ${text.length} characters; the limit is ${MAX_FILTER_EXPRESSION_LENGTH}`, column: MAX_FILTER_EXPRESSION_LENGTH + 1 };
  }
  const lexed = tokenize(text);
  if (!lexed.ok) return lexed;
  try {
    return { ok: true, expression: new Parser(lexed.tokens).filter() };
  } catch (err) {
    if (err instanceof ParseError) return { ok: false, message: err.message, column: err.column };
    throw err;
  }
}

class Parser {
  private pos = 0;
  private parameters: string[] = [];

  constructor(private readonly tokens: readonly Token[]) {}

  filter(): FilterExpression {
    const expressions: SubExpression[] = [this.subExpression()];
    while (this.symbol('|')) expressions.push(this.subExpression());
    const end = this.peek();
    if (end.kind !== 'end') throw new ParseError(`expected AND, OR, IF, | or the end of the expression, found ${describe(end)}`, end.column);
    const first = expressions[0] as SubExpression;
    const fields: string[] = [];
    for (const sub of expressions) {
      for (const c of conditions(sub.where)) addUnique(fields, `${c.field.dataset}.${c.field.field}`);
      if (sub.when !== undefined) for (const c of conditions(sub.when)) addUnique(fields, `Users.${c.field.field}`);
    }
    if (fields.length > MAX_FILTER_FIELDS) throw new ParseError(`a filter may read at most ${MAX_FILTER_FIELDS} distinct fields; this one reads ${fields.length}`, 1);
    const parameters = [...new Set(expressions.flatMap((e) => e.parameters))];
    return { expressions, target: first.target, parameters, fields };
  }

  private subExpression(): SubExpression {
    this.parameters = [];
    const actionToken = this.peek();
    const action = this.keyword(['INCLUDE', 'EXCLUDE']) as FilterAction | undefined;
    if (action === undefined) throw new ParseError(`expected INCLUDE or EXCLUDE, found ${describe(actionToken)}`, actionToken.column);
    const targetToken = this.peek();
    const target = this.oneOf(TARGETS);
    if (target === undefined) throw new ParseError(`expected ItemID, UserID or ActionID after ${action}, found ${describe(targetToken)}`, targetToken.column);
    this.expectKeyword('WHERE', `expected WHERE after ${target}`);
    const where = this.orExpression(() => this.whereCondition());
    const dataset = checkWhere(where, target);
    let when: BooleanExpression<'CurrentUser'> | undefined;
    if (this.keyword(['IF']) !== undefined) when = this.orExpression(() => this.ifCondition());
    const sub = { action, target, dataset, where, parameters: [...this.parameters] };
    return when === undefined ? sub : { ...sub, when };
  }

  private orExpression<D extends string>(condition: () => FilterCondition<D>): BooleanExpression<D> {
    let left = this.andExpression(condition);
    while (this.keyword(['OR']) !== undefined) left = { kind: 'or', left, right: this.andExpression(condition) };
    return left;
  }

  private andExpression<D extends string>(condition: () => FilterCondition<D>): BooleanExpression<D> {
    let left = this.primary(condition);
    while (this.keyword(['AND']) !== undefined) left = { kind: 'and', left, right: this.primary(condition) };
    return left;
  }

  private primary<D extends string>(condition: () => FilterCondition<D>): BooleanExpression<D> {
    if (!this.symbol('(')) return condition();
    const inner = this.orExpression(condition);
    this.expectSymbol(')', 'expected ) to close the group');
    return inner;
  }

  private whereCondition(): FilterCondition {
    const start = this.peek();
    const dataset = this.oneOf(DATASETS);
    if (dataset === undefined) {
      const current = this.oneOf(CURRENT);
      if (current !== undefined) throw new ParseError(`${current} may appear only on the right of a condition (or CurrentUser after IF); expected Items, Users or Interactions`, start.column);
      throw new ParseError(`expected a dataset field (Items.X, Users.X or Interactions.EVENT_TYPE), found ${describe(start)}`, start.column);
    }
    const field = { dataset, field: this.fieldName(dataset), column: start.column };
    return this.conditionRest(field);
  }

  private ifCondition(): FilterCondition<'CurrentUser'> {
    const start = this.peek();
    if (this.oneOf(['CurrentUser']) === undefined) throw new ParseError(`expected CurrentUser.X after IF, found ${describe(start)}`, start.column);
    const field = { dataset: 'CurrentUser' as const, field: this.fieldName('CurrentUser'), column: start.column };
    const condition = this.conditionRest(field);
    if (condition.operand.kind === 'current') throw new ParseError('an IF condition compares CurrentUser with values or a $PARAMETER, not with another field', condition.field.column);
    return condition;
  }

  private conditionRest<D extends string>(field: FieldRef<D>): FilterCondition<D> {
    const opToken = this.peek();
    let operator: FilterOperator;
    if (this.keyword(['IN']) !== undefined) operator = 'IN';
    else if (this.keyword(['NOT']) !== undefined) {
      this.expectKeyword('IN', 'expected IN after NOT');
      operator = 'NOT IN';
    } else if (opToken.kind === 'symbol' && COMPARISONS.has(opToken.text)) {
      this.pos += 1;
      operator = opToken.text as FilterOperator;
    } else throw new ParseError(`expected IN, NOT IN, =, <, >, <= or >= after ${field.dataset}.${field.field}, found ${describe(opToken)}`, opToken.column);
    const operand = operator === 'IN' || operator === 'NOT IN' ? this.listOperand(operator) : this.scalarOperand(operator);
    return { kind: 'condition', field, operator, operand };
  }

  private listOperand(operator: 'IN' | 'NOT IN'): FilterOperand {
    const current = this.currentRef();
    if (current !== undefined) return { kind: 'current', ref: current };
    this.expectSymbol('(', `expected ( after ${operator}`);
    const first = this.peek();
    if (first.kind === 'param') {
      if (operator === 'NOT IN') throw new ParseError('NOT IN cannot take a $PARAMETER: use IN and swap INCLUDE/EXCLUDE', first.column);
      this.pos += 1;
      this.useParameter(first.text);
      this.expectSymbol(')', `expected ) after $${first.text} (a parameter stands alone in its list)`);
      return { kind: 'param', name: first.text };
    }
    const values: FilterLiteral[] = [this.literal()];
    while (this.symbol(',')) values.push(this.literal());
    this.expectSymbol(')', 'expected , or ) in the value list');
    return { kind: 'list', values };
  }

  private scalarOperand(operator: FilterOperator): FilterOperand {
    const token = this.peek();
    const current = this.currentRef();
    if (current !== undefined) return { kind: 'current', ref: current };
    if (token.kind === 'param') {
      this.pos += 1;
      this.useParameter(token.text);
      return { kind: 'param', name: token.text };
    }
    if (token.kind === 'number') return { kind: 'list', values: [this.literal()] };
    if (token.kind === 'string' && operator === '=') return { kind: 'list', values: [this.literal()] };
    throw new ParseError(`expected a number, a $PARAMETER or CurrentItem.X after ${operator}, found ${describe(token)}`, token.column);
  }

  private currentRef(): FieldRef<CurrentEntity> | undefined {
    const start = this.peek();
    const entity = this.oneOf(CURRENT);
    if (entity === undefined) return undefined;
    return { dataset: entity, field: this.fieldName(entity), column: start.column };
  }

  private literal(): FilterLiteral {
    const token = this.peek();
    if (token.kind === 'string') {
      this.pos += 1;
      return { kind: 'string', value: token.text };
    }
    if (token.kind === 'number') {
      this.pos += 1;
      return { kind: 'number', value: Number(token.text) };
    }
    if (token.kind === 'param') throw new ParseError('a $PARAMETER must be the only entry in its list', token.column);
    throw new ParseError(`expected a quoted value such as "value" or a number, found ${describe(token)}`, token.column);
  }

  private fieldName(dataset: string): string {
    this.expectSymbol('.', `expected . and a field name after ${dataset}`);
    const token = this.peek();
    if (token.kind !== 'word') throw new ParseError(`expected a field name after ${dataset}., found ${describe(token)}`, token.column);
    this.pos += 1;
    return token.text;
  }

  private useParameter(name: string): void {
    addUnique(this.parameters, name);
  }

  private peek(): Token {
    return this.tokens[this.pos] as Token;
  }

  private keyword(words: readonly string[]): string | undefined {
    const token = this.peek();
    if (token.kind !== 'word') return undefined;
    const hit = words.find((w) => w === token.text.toUpperCase());
    if (hit !== undefined) this.pos += 1;
    return hit;
  }

  private oneOf<T extends string>(names: readonly T[]): T | undefined {
    const token = this.peek();
    if (token.kind !== 'word') return undefined;
    const hit = names.find((n) => n.toLowerCase() === token.text.toLowerCase());
    if (hit !== undefined) this.pos += 1;
    return hit;
  }

  private symbol(text: string): boolean {
    const token = this.peek();
    if (token.kind !== 'symbol' || token.text !== text) return false;
    this.pos += 1;
    return true;
  }

  private expectSymbol(text: string, message: string): void {
    const token = this.peek();
    if (!this.symbol(text)) throw new ParseError(`${message}, found ${describe(token)}`, token.column);
  }

  private expectKeyword(word: string, message: string): void {
    const token = this.peek();
    if (this.keyword([word]) === undefined) throw new ParseError(`${message}, found ${describe(token)}`, token.column);
  }
}

/** The service's rules on what a WHERE clause may read; returns the one dataset it reads. */
function checkWhere(where: BooleanExpression, target: FilterTarget): FilterDataset {
  const all = conditions(where);
  const first = all[0] as FilterCondition;
  for (const c of all) {
    const { dataset, field, column } = c.field;
    if (dataset !== first.field.dataset) {
      throw new ParseError(`one expression cannot mix ${first.field.dataset} and ${dataset}: chain a second expression with |`, column);
    }
    if (dataset === 'Interactions') {
      if (field.toUpperCase() !== 'EVENT_TYPE') throw new ParseError(`Interactions can be filtered by EVENT_TYPE only, not ${field}`, column);
      if (c.operator !== 'IN' && c.operator !== 'NOT IN') throw new ParseError('Interactions.EVENT_TYPE takes IN or NOT IN', column);
      if (c.operand.kind === 'current') throw new ParseError('Interactions.EVENT_TYPE compares with values or a $PARAMETER', column);
    }
    if (dataset === 'Users' && target === 'ItemID') throw new ParseError('item filters read user metadata through IF CurrentUser.X, not Users.X in WHERE', column);
    if (dataset === 'Items' && target === 'UserID') throw new ParseError('user filters read Users or Interactions, not Items', column);
    if (c.operand.kind === 'current' && (c.operand.ref.dataset !== 'CurrentItem' || dataset !== 'Items')) {
      throw new ParseError('only Items fields compare with CurrentItem.X', c.operand.ref.column);
    }
  }
  return first.field.dataset;
}

/** The leaf conditions of a boolean expression, left to right. */
export function conditions<D extends string>(expression: BooleanExpression<D>): FilterCondition<D>[] {
  return expression.kind === 'condition' ? [expression] : [...conditions(expression.left), ...conditions(expression.right)];
}

function addUnique(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}

function describe(token: Token): string {
  if (token.kind === 'end') return 'the end of the expression';
  if (token.kind === 'string') return `"${token.text}"`;
  if (token.kind === 'param') return `$${token.text}`;
  return `'${token.text}'`;
}
