/**
 * Parsing `loc(...)` locations: unknown, names (optionally wrapping a child), file:line:col, fused,
 * callsite, and `#loc` aliases (which mlir-opt prints at the end of the file and are resolved last).
 */
import { type Location, UnknownLoc, fileLoc, fusedLoc, nameLoc } from '../ir/location.js';
import type { Cursor } from './cursor.js';

/** A location that refers to an alias, resolved after the whole file is read. */
export interface LocAliasRef {
  readonly kind: 'name';
  readonly name: string;
  readonly aliasOf: string;
  readonly pos: number;
}

/** Parses the body of `loc(...)` after `loc(`; pushes alias references to `refs`. */
function parseLocBody(c: Cursor, refs: LocAliasRef[]): Location {
  const start = c.pos;
  if (c.eatKeyword('unknown')) return UnknownLoc;
  if (c.peek() === '#') {
    c.pos++;
    const id = c.suffixId();
    if (!id) c.error('expected location alias name', start);
    const ref: LocAliasRef = { kind: 'name', name: `#${id}`, aliasOf: id, pos: start };
    refs.push(ref);
    return ref;
  }
  if (c.eatKeyword('fused')) {
    if (c.eat('<')) {
      // metadata attribute: skip balanced
      let depth = 1;
      while (depth > 0 && c.pos < c.text.length) {
        const ch = c.text[c.pos++];
        if (ch === '<') depth++;
        else if (ch === '>') depth--;
      }
    }
    c.expect('[', 'in fused location');
    const locs: Location[] = [];
    if (!c.eat(']')) {
      do locs.push(parseLocBody(c, refs));
      while (c.eat(','));
      c.expect(']', 'to close fused location');
    }
    return fusedLoc(locs);
  }
  if (c.eatKeyword('callsite')) {
    c.expect('(');
    const callee = parseLocBody(c, refs);
    if (!c.eatKeyword('at')) c.error("expected 'at' in callsite location");
    const caller = parseLocBody(c, refs);
    c.expect(')');
    return fusedLoc([callee, caller]);
  }
  const s = c.string();
  if (s === undefined) c.error('expected location', start);
  if (c.text[c.pos] === ':') {
    c.pos++;
    const line = c.expectInteger('line number in location');
    let col = 0;
    if (c.eat(':')) col = c.expectInteger('column number in location');
    if (c.eatKeyword('to')) {
      // range locations: "file":l:c to l:c — keep the start
      c.integer();
      if (c.eat(':')) c.integer();
    }
    return fileLoc(s, line, col);
  }
  if (c.eat('(')) {
    const child = parseLocBody(c, refs);
    c.expect(')', 'to close name location');
    return nameLoc(s, child);
  }
  return nameLoc(s);
}

/** Parses `loc(...)` if present. */
export function tryParseLoc(c: Cursor, refs: LocAliasRef[]): Location | undefined {
  if (!c.lookingAt('loc(')) return undefined;
  c.pos += 4;
  const l = parseLocBody(c, refs);
  c.expect(')', 'to close location');
  return l;
}

/** Parses a location alias definition's value `loc(...)`. */
export function parseLoc(c: Cursor, refs: LocAliasRef[]): Location {
  const l = tryParseLoc(c, refs);
  if (!l) c.error('expected loc(...)');
  return l;
}
