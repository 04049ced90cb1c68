// symbol-dce: private functions reachable from public ones (also transitively and through nested
// attributes) stay; unreachable private ones go; public ones always stay.
import { describe, expect, it } from 'vitest';
import { registerTestDialect } from './test-dialect.js';
import { runPipeline } from './helpers.js';

registerTestDialect('sd');

describe('symbol-dce', () => {
  it('removes unreferenced private functions only', () => {
    const { text, result } = runPipeline(
      `func.func @main(%x: i32) -> i32 {
        %0 = func.call @used(%x) : (i32) -> i32
        "sd.effect"() {refs = [{f = @via_attr}]} : () -> ()
        return %0 : i32
      }
      func.func private @used(%x: i32) -> i32 {
        %0 = func.call @transitive(%x) : (i32) -> i32
        return %0 : i32
      }
      func.func private @transitive(%x: i32) -> i32 {
        return %x : i32
      }
      func.func private @via_attr(%x: i32) -> i32 {
        return %x : i32
      }
      func.func private @dead(%x: i32) -> i32 {
        %0 = func.call @dead_too(%x) : (i32) -> i32
        return %0 : i32
      }
      func.func private @dead_too(%x: i32) -> i32 {
        return %x : i32
      }
      func.func private @decl(i32) -> i32
      func.func @public_unused(%x: i32) -> i32 {
        return %x : i32
      }`,
      'symbol-dce',
    );
    expect(result.changed).toBe(true);
    const names = [...text.matchAll(/func\.func (?:private )?@(\w+)/g)].map((m) => m[1]);
    expect(names).toEqual(['main', 'used', 'transitive', 'via_attr', 'public_unused']);
    expect(runPipeline(text, 'symbol-dce').result.changed).toBe(false);
  });
});
