/**
 * Conformance cases for the line-structure directives: CHECK-NEXT, CHECK-SAME, CHECK-EMPTY,
 * CHECK-COUNT-n and CHECK-LABEL block partitioning.
 */
import { type FileCheckCase, lines } from './types.js';

export const directiveCases: FileCheckCase[] = [
  { name: 'NEXT passes', check: lines('CHECK: a', 'CHECK-NEXT: b'), input: lines('a', 'b'), expect: 'pass' },
  {
    name: 'NEXT not on the next line',
    check: lines('CHECK: a', 'CHECK-NEXT: b'),
    input: lines('a', 'x', 'b'),
    expect: 'fail',
  },
  { name: 'NEXT on the same line', check: lines('CHECK: a', 'CHECK-NEXT: b'), input: lines('a b'), expect: 'fail' },
  { name: 'NEXT not found at all', check: lines('CHECK: a', 'CHECK-NEXT: zz'), input: lines('a', 'b'), expect: 'fail' },
  { name: 'NEXT without a previous CHECK', check: lines('CHECK-NEXT: a'), input: lines('a'), expect: 'error' },
  {
    name: 'NEXT after only a DAG is an error',
    check: lines('CHECK-DAG: a', 'CHECK-NEXT: b'),
    input: lines('a', 'b'),
    expect: 'error',
  },
  { name: 'SAME passes', check: lines('CHECK: a', 'CHECK-SAME: c'), input: lines('a b c'), expect: 'pass' },
  { name: 'SAME on a later line', check: lines('CHECK: a', 'CHECK-SAME: c'), input: lines('a b', 'c'), expect: 'fail' },
  { name: 'SAME first is an error', check: lines('CHECK-SAME: a'), input: lines('a'), expect: 'error' },
  {
    name: 'SAME chain then NEXT',
    check: lines('CHECK: func', 'CHECK-SAME: (%arg0', 'CHECK-SAME: -> i32', 'CHECK-NEXT: return'),
    input: lines('func @f(%arg0: i32) -> i32 {', '  return %arg0', '}'),
    expect: 'pass',
  },
  { name: 'EMPTY passes', check: lines('CHECK: a', 'CHECK-EMPTY:', 'CHECK-NEXT: b'), input: lines('a', '', 'b'), expect: 'pass' },
  { name: 'EMPTY on a non-empty line', check: lines('CHECK: a', 'CHECK-EMPTY:'), input: lines('a', 'b', '', 'c'), expect: 'fail' },
  { name: 'EMPTY after the final newline', check: lines('CHECK: a', 'CHECK-EMPTY:'), input: 'a\n', expect: 'pass' },
  { name: 'EMPTY with no newline left', check: lines('CHECK: a', 'CHECK-EMPTY:'), input: 'a', expect: 'fail' },
  { name: 'EMPTY with text is an error', check: lines('CHECK: a', 'CHECK-EMPTY: x'), input: lines('a'), expect: 'error' },
  {
    name: 'EMPTY line of spaces is not empty',
    check: lines('CHECK: a', 'CHECK-EMPTY:'),
    input: 'a\n   \n\n',
    expect: 'fail',
  },
  { name: 'COUNT passes', check: lines('CHECK-COUNT-3: op'), input: lines('op', 'op', 'op'), expect: 'pass' },
  { name: 'COUNT too few', check: lines('CHECK-COUNT-3: op'), input: lines('op', 'xx', 'op'), expect: 'fail' },
  { name: 'COUNT on one line', check: lines('CHECK-COUNT-4: a'), input: lines('a a a', 'a'), expect: 'pass' },
  { name: 'COUNT-0 is invalid', check: lines('CHECK-COUNT-0: a'), input: lines('a'), expect: 'error' },
  { name: 'COUNT non-number is invalid', check: lines('CHECK-COUNT-x: a'), input: lines('a'), expect: 'error' },
  {
    name: 'NEXT after COUNT is relative to the last repetition',
    check: lines('CHECK-COUNT-2: item', 'CHECK-NEXT: end'),
    input: lines('item', 'item', 'end'),
    expect: 'pass',
  },
  {
    name: 'COUNT then NEXT fails when there are more repetitions',
    check: lines('CHECK-COUNT-2: item', 'CHECK-NEXT: end'),
    input: lines('item', 'item', 'item', 'end'),
    expect: 'fail',
  },
  {
    name: 'LABEL partitions the input',
    check: lines('CHECK-LABEL: func @a', 'CHECK: return', 'CHECK-LABEL: func @b', 'CHECK: return'),
    input: lines('func @a', '  return', 'func @b', '  return'),
    expect: 'pass',
  },
  {
    name: 'check bounded by the next LABEL',
    check: lines('CHECK-LABEL: func @a', 'CHECK: special', 'CHECK-LABEL: func @b'),
    input: lines('func @a', '  return', 'func @b', '  special'),
    expect: 'fail',
  },
  {
    name: 'LABEL not found stops immediately',
    check: lines('CHECK-LABEL: func @a', 'CHECK: x', 'CHECK-LABEL: func @zz', 'CHECK: y'),
    input: lines('func @a', 'q', 'func @b', 'y'),
    expect: 'fail',
  },
  {
    name: 'errors in two LABEL blocks are both reported',
    check: lines('CHECK-LABEL: @a', 'CHECK: one', 'CHECK-LABEL: @b', 'CHECK: two'),
    input: lines('@a', 'xxx', '@b', 'yyy'),
    expect: 'fail',
  },
  {
    name: 'LABEL must not use variables',
    check: lines('CHECK-LABEL: func [[NAME:@[a-z]+]]'),
    input: lines('func @a'),
    expect: 'error',
  },
  {
    name: 'labels must appear in order',
    check: lines('CHECK-LABEL: @b', 'CHECK-LABEL: @a'),
    input: lines('@a', '@b'),
    expect: 'fail',
  },
  {
    name: 'NEXT right after a LABEL',
    check: lines('CHECK-LABEL: func @f', 'CHECK-NEXT: body'),
    input: lines('func @f', 'body'),
    expect: 'pass',
  },
  {
    name: 'block checks do not see text before their label',
    check: lines('CHECK-LABEL: @first', 'CHECK-LABEL: @second', 'CHECK: marker'),
    input: lines('marker', '@first', '@second', 'nothing'),
    expect: 'fail',
  },
  {
    name: 'DAG inside a LABEL block',
    check: lines('CHECK-LABEL: @f', 'CHECK-DAG: b', 'CHECK-DAG: a', 'CHECK-LABEL: @g', 'CHECK-DAG: c'),
    input: lines('@f', 'a', 'b', '@g', 'c'),
    expect: 'pass',
  },
  {
    name: 'COUNT failure reports which repetition failed',
    check: lines('CHECK: begin', 'CHECK-COUNT-4: item', 'CHECK: end'),
    input: lines('begin', 'item item', 'item', 'end'),
    expect: 'fail',
  },
  {
    name: 'EMPTY twice in a row',
    check: lines('CHECK: a', 'CHECK-EMPTY:', 'CHECK-EMPTY:', 'CHECK-NEXT: b'),
    input: lines('a', '', '', 'b'),
    expect: 'pass',
  },
  {
    name: 'SAME after NEXT after LABEL',
    check: lines('CHECK-LABEL: @f(', 'CHECK-SAME: %arg0', 'CHECK-NEXT: ret', 'CHECK-SAME: %arg0'),
    input: lines('@f(%arg0)', 'ret %arg0'),
    expect: 'pass',
  },
];

