/**
 * Source locations carried by ops and values: unknown, `loc("name")` (optionally wrapping a child),
 * `loc("file":line:col)` and fused locations. Used for diagnostics and to name tensors on export.
 */

export type Location =
  | { readonly kind: 'unknown' }
  | { readonly kind: 'name'; readonly name: string; readonly child?: Location }
  | { readonly kind: 'file'; readonly file: string; readonly line: number; readonly col: number }
  | { readonly kind: 'fused'; readonly locs: readonly Location[] };

/** The unknown location. */
export const UnknownLoc: Location = Object.freeze({ kind: 'unknown' });

/** `loc("name")`. */
export function nameLoc(name: string, child?: Location): Location {
  return child ? { kind: 'name', name, child } : { kind: 'name', name };
}

/** `loc("file":line:col)`. */
export function fileLoc(file: string, line: number, col: number): Location {
  return { kind: 'file', file, line, col };
}

/** `loc(fused[...])`. */
export function fusedLoc(locs: readonly Location[]): Location {
  return { kind: 'fused', locs };
}

/** The first file position inside a location, if any. */
export function filePosition(loc: Location): { file: string; line: number; col: number } | undefined {
  switch (loc.kind) {
    case 'file':
      return loc;
    case 'name':
      return loc.child ? filePosition(loc.child) : undefined;
    case 'fused':
      for (const l of loc.locs) {
        const p = filePosition(l);
        if (p) return p;
      }
      return undefined;
    case 'unknown':
      return undefined;
  }
}

/** The first name inside a location, if any (tensor names from TFLite import). */
export function locName(loc: Location): string | undefined {
  switch (loc.kind) {
    case 'name':
      return loc.name;
    case 'fused':
      for (const l of loc.locs) {
        const n = locName(l);
        if (n !== undefined) return n;
      }
      return undefined;
    case 'file':
    case 'unknown':
      return undefined;
  }
}

/** How a location prefixes a diagnostic: `file:line:col` or `loc("name")`. */
export function describeLoc(loc: Location): string {
  const p = filePosition(loc);
  if (p) return p.line === 0 ? p.file : `${p.file}:${p.line}:${p.col}`;
  const n = locName(loc);
  if (n !== undefined) return `loc(${JSON.stringify(n)})`;
  return '<unknown>';
}
