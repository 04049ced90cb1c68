// cse: identical pure ops merge (commutative operands in any order), constants dedupe keeping the
// first, nested regions reuse outer values but never the reverse, side effects never merge.
import { describe, expect, it } from 'vitest';
import { registerTestDialect } from './test-dialect.js';
import { bodyLines, runPipeline } from './helpers.js';

registerTestDialect('cs');

describe('cse', () => {
  it('merges pure ops and constants', () => {
    const { text } = runPipeline(
      `func.func @f(%x: i32, %y: i32) -> (i32, i32, i32, i32) {
        %c1 = "cs.const"() {value = 1 : i32} : () -> i32 loc("first")
        %c2 = "cs.const"() {value = 1 : i32} : () -> i32 loc("second")
        %c3 = "cs.const"() {value = 2 : i32} : () -> i32
        %a = "cs.add"(%x, %y) : (i32, i32) -> i32
        %b = "cs.add"(%y, %x) : (i32, i32) -> i32
        %e1 = "cs.effect"(%a) : (i32) -> i32
        %e2 = "cs.effect"(%a) : (i32) -> i32
        %s = "cs.add"(%c2, %b) : (i32, i32) -> i32
        %t = "cs.add"(%c1, %a) : (i32, i32) -> i32
        %u = "cs.add"(%c3, %e1) : (i32, i32) -> i32
        %v = "cs.add"(%c3, %e2) : (i32, i32) -> i32
        return %s, %t, %u, %v : i32, i32, i32, i32
      }`,
      'cse',
    );
    expect(bodyLines(text)).toEqual([
      '%0 = "cs.const"() {value = 1 : i32} : () -> i32',
      '%1 = "cs.const"() {value = 2 : i32} : () -> i32',
      '%2 = "cs.add"(%arg0, %arg1) : (i32, i32) -> i32',
      '%3 = "cs.effect"(%2) : (i32) -> i32',
      '%4 = "cs.effect"(%2) : (i32) -> i32',
      '%5 = "cs.add"(%0, %2) : (i32, i32) -> i32',
      '%6 = "cs.add"(%1, %3) : (i32, i32) -> i32',
      '%7 = "cs.add"(%1, %4) : (i32, i32) -> i32',
      'return %5, %5, %6, %7 : i32, i32, i32, i32',
    ]);
    expect(runPipeline(text, 'cse').text).toBe(text);
  });
  it('is scoped by dominance across regions', () => {
    const { text } = runPipeline(
      `func.func @f(%x: i32) -> i32 {
        %a = "cs.neg"(%x) : (i32) -> i32
        "cs.scope"() ({
          %b = "cs.neg"(%x) : (i32) -> i32
          %c = "cs.neg"(%b) : (i32) -> i32
          "cs.effect"(%c) : (i32) -> ()
        }) : () -> ()
        %d = "cs.neg"(%a) : (i32) -> i32
        "cs.scope"() ({
          %e = "cs.neg"(%d) : (i32) -> i32
          "cs.effect"(%e) : (i32) -> ()
        }) : () -> ()
        return %d : i32
      }`,
      'cse',
    );
    // %b reuses the outer %a; %c may not reuse %d (defined after the region), nor %d reuse %c.
    expect(bodyLines(text)).toEqual([
      '%0 = "cs.neg"(%arg0) : (i32) -> i32',
      '"cs.scope"() ({',
      '%1 = "cs.neg"(%0) : (i32) -> i32',
      '"cs.effect"(%1) : (i32) -> ()',
      '%2 = "cs.neg"(%0) : (i32) -> i32',
      '"cs.scope"() ({',
      '%3 = "cs.neg"(%2) : (i32) -> i32',
      '"cs.effect"(%3) : (i32) -> ()',
      'return %2 : i32',
    ]);
  });
});
