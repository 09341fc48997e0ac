import { describe, expect, it } from 'vitest';
import { parseFilterExpression } from '../../src/filter-expression/index.ts';

function parsed(text: string) {
  const result = parseFilterExpression(text);
  if (!result.ok) throw new Error(`${result.message} (column ${result.column})`);
  return result.expression;
}

function failure(text: string) {
  const result = parseFilterExpression(text);
  if (result.ok) throw new Error(`expected a parse error for ${text}`);
  return result;
}

describe('parseFilterExpression: documented examples parse', () => {
  it.each([
    'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")',
    'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ($EVENT_TYPE)',
    'INCLUDE ItemID WHERE Items.PRICE < CurrentItem.PRICE AND Items.GENRE IN CurrentItem.GENRE',
    'EXCLUDE ItemID WHERE Items.CATEGORY_L1 IN ("shoe") AND Items.CATEGORY_L2 NOT IN ("boot")',
    'INCLUDE ItemID WHERE Items.PRICE <= $PRICE',
    'EXCLUDE ItemID WHERE Items.GENRE IN ($GENRE) IF CurrentUser.AGE = $AGE',
    'INCLUDE ItemID WHERE Items.GENRE IN ($GENRE) | EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click", "stream")',
    'INCLUDE UserID WHERE Users.MEMBERSHIP_STATUS IN ($MEMBERSHIP)',
    'EXCLUDE UserID WHERE Users.AGE < $AGE',
    'include ItemID where Items.YEAR >= 1990 or (Items.GENRE in ("Drama") and Items.PRICE > 9.5)',
  ])('%s', (text) => {
    expect(parsed(text).expressions.length).toBeGreaterThan(0);
  });

  it('records actions, datasets, operators, parameters and fields', () => {
    const e = parsed('INCLUDE ItemID WHERE Items.GENRE IN ($GENRE) | EXCLUDE ItemID WHERE Interactions.EVENT_TYPE NOT IN ("view") IF CurrentUser.TIER IN ("gold")');
    expect(e.target).toBe('ItemID');
    expect(e.parameters).toEqual(['GENRE']);
    expect(e.fields).toEqual(['Items.GENRE', 'Interactions.EVENT_TYPE', 'Users.TIER']);
    const [include, exclude] = e.expressions;
    expect(include).toMatchObject({ action: 'INCLUDE', dataset: 'Items', where: { kind: 'condition', operator: 'IN', operand: { kind: 'param', name: 'GENRE' } } });
    expect(exclude).toMatchObject({ action: 'EXCLUDE', dataset: 'Interactions', where: { operator: 'NOT IN', operand: { kind: 'list', values: [{ kind: 'string', value: 'view' }] } } });
    expect(exclude?.when).toMatchObject({ field: { dataset: 'CurrentUser', field: 'TIER' } });
  });

  it('binds AND tighter than OR', () => {
    const e = parsed('INCLUDE ItemID WHERE Items.A IN ("1") OR Items.B IN ("2") AND Items.C IN ("3")');
    expect(e.expressions[0]?.where).toMatchObject({ kind: 'or', left: { kind: 'condition' }, right: { kind: 'and' } });
  });
});

describe('parseFilterExpression: errors say what was expected, and where', () => {
  it.each([
    ['', 'expected INCLUDE or EXCLUDE', 1],
    ['KEEP ItemID WHERE Items.A IN ("x")', "expected INCLUDE or EXCLUDE, found 'KEEP'", 1],
    ['EXCLUDE Items WHERE Items.A IN ("x")', 'expected ItemID, UserID or ActionID', 9],
    ['EXCLUDE ItemID Items.A IN ("x")', 'expected WHERE after ItemID', 16],
    ['EXCLUDE ItemID WHERE Items.A IN "x"', 'expected ( after IN', 33],
    ['EXCLUDE ItemID WHERE Items.A IN ("x" "y")', 'expected , or ) in the value list', 38],
    ['EXCLUDE ItemID WHERE Items.A IN ("x)', 'unterminated string', 34],
    ['EXCLUDE ItemID WHERE Items.A LIKE ("x")', 'expected IN, NOT IN, =, <, >, <= or >= after Items.A', 30],
    ['EXCLUDE ItemID WHERE Items.A NOT IN ($A)', 'NOT IN cannot take a $PARAMETER', 38],
    ['EXCLUDE ItemID WHERE Interactions.EVENT_VALUE IN ("1")', 'EVENT_TYPE only', 22],
    ['EXCLUDE ItemID WHERE Items.A IN ("x") AND Interactions.EVENT_TYPE IN ("buy")', 'cannot mix Items and Interactions', 43],
    ['EXCLUDE ItemID WHERE Items.PRICE < "cheap"', 'expected a number, a $PARAMETER or CurrentItem.X after <', 36],
    ['EXCLUDE ItemID WHERE Items.A IN ("x") EXTRA', 'expected AND, OR, IF, | or the end', 39],
    ['EXCLUDE ItemID WHERE Items.A IN ("x") |', 'expected INCLUDE or EXCLUDE, found the end', 40],
    ['EXCLUDE ItemID WHERE Users.AGE IN ("9")', 'IF CurrentUser.X', 22],
    ['EXCLUDE ItemID WHERE Items.A IN ($A, "b")', 'expected ) after $A', 36],
    ['EXCLUDE ItemID WHERE Items.A IN ("x") IF Items.B IN ("y")', 'expected CurrentUser.X after IF', 42],
  ])('%s', (text, message, column) => {
    const result = failure(text);
    expect(result.message).toContain(message);
    expect(result.column).toBe(column);
  });

  it('refuses more than 2,500 characters', () => {
    const values = Array.from({ length: 400 }, (_, i) => `"v${i}"`).join(', ');
    const result = failure(`EXCLUDE ItemID WHERE Items.A IN (${values})`);
    expect(result.message).toMatch(/limit is 2500/);
  });

  it('refuses more than ten distinct fields', () => {
    const conditions = Array.from({ length: 11 }, (_, i) => `Items.F${i} IN ("x")`).join(' AND ');
    expect(failure(`EXCLUDE ItemID WHERE ${conditions}`).message).toMatch(/at most 10 distinct fields/);
  });
});
