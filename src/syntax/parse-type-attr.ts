/**
 * Parsing types and attributes in MLIR syntax, including `!quant.uniform<…>` / `!quant.calibrated<…>`,
 * dense elements (nested lists, splats, hex strings), and type/attribute aliases.
 */
import {
  type Attribute,
  arrayAttr,
  boolAttr,
  denseAttr,
  dictionaryAttr,
  elementByteWidth,
  floatAttr,
  integerAttr,
  opaqueAttr,
  stringAttr,
  symbolRefAttr,
  typeAttr,
  unitAttr,
} from '../ir/attribute.js';
import {
  type FloatType,
  type IntegerType,
  type Type,
  calibratedQuantType,
  floatType,
  functionType,
  indexType,
  integerType,
  noneType,
  opaqueType,
  storageRange,
  tensorType,
  uniformPerAxisQuantType,
  uniformQuantType,
  unrankedTensorType,
} from '../ir/type.js';
import type { Cursor } from './cursor.js';
import { elementCodec, integerLimits } from './dense-values.js';
import { floatFromHex } from './number-format.js';

/** Alias tables (`!name = type`, `#name = attr`). */
export interface Aliases {
  readonly types: Map<string, Type>;
  readonly attrs: Map<string, Attribute>;
}

/** Empty alias tables. */
export function newAliases(): Aliases {
  return { types: new Map(), attrs: new Map() };
}

const BUILTIN_TYPE = /^(?:[su]?i[0-9]+|f16|bf16|f32|f64|index|none|tensor)$/;

/** Parses a type if one starts here. */
export function tryParseType(c: Cursor, al: Aliases): Type | undefined {
  c.skip();
  const ch = c.peek();
  if (ch === '!') return parseDialectType(c, al);
  if (ch === '(') return parseFunctionType(c, al);
  const save = c.pos;
  const id = c.ident();
  if (id === undefined) return undefined;
  const m = /^(si|ui|i)([0-9]+)$/.exec(id);
  if (m) {
    const width = Number(m[2]);
    if (width < 1 || width > 128) c.error(`invalid integer width ${width}`, save);
    return integerType(width, m[1] === 'si' ? 'signed' : m[1] === 'ui' ? 'unsigned' : 'signless');
  }
  switch (id) {
    case 'f16':
    case 'bf16':
    case 'f32':
    case 'f64':
      return floatType(id);
    case 'index':
      return indexType();
    case 'none':
      return noneType();
    case 'tensor':
      return parseTensorBody(c, al);
    default:
      c.pos = save;
      return undefined;
  }
}

/** Parses a type or fails with a located error. */
export function parseType(c: Cursor, al: Aliases, what = 'type'): Type {
  const start = c.pos;
  const t = tryParseType(c, al);
  if (!t) c.error(`expected ${what}`, Math.max(start, c.pos));
  return t;
}

function parseTensorBody(c: Cursor, al: Aliases): Type {
  c.expect('<', 'after tensor');
  if (c.eat('*')) {
    c.expect('x', 'after * in unranked tensor');
    const el = parseType(c, al, 'element type');
    c.expect('>', 'to close tensor type');
    return unrankedTensorType(el);
  }
  const shape: number[] = [];
  // Dimensions: (int | ?) 'x' … then the element type. Scan char by char: "1x2x?xf32".
  for (;;) {
    c.skip();
    const t = c.text;
    const p = c.pos;
    if (t[p] === '?') {
      c.pos++;
      shape.push(-1);
    } else if (/[0-9]/.test(t[p] ?? '')) {
      let q = p;
      while (/[0-9]/.test(t[q] ?? '')) q++;
      if (t[q] !== 'x') break;
      shape.push(Number(t.slice(p, q)));
      c.pos = q;
    } else break;
    if (t[c.pos] !== 'x') c.error("expected 'x' in dimension list");
    c.pos++;
  }
  const el = parseType(c, al, 'element type');
  c.expect('>', 'to close tensor type');
  return tensorType(shape, el);
}

function parseFunctionType(c: Cursor, al: Aliases): Type {
  const inputs = parseTypeList(c, al);
  c.expect('->', 'in function type');
  let results: Type[];
  if (c.peek() === '(') results = parseTypeList(c, al);
  else results = [parseType(c, al)];
  return functionType(inputs, results);
}

/** `(t1, t2)` */
export function parseTypeList(c: Cursor, al: Aliases): Type[] {
  c.expect('(');
  const out: Type[] = [];
  if (c.eat(')')) return out;
  do out.push(parseType(c, al));
  while (c.eat(','));
  c.expect(')', 'to close type list');
  return out;
}

/** Balanced `<…>` body text (for opaque dialect types/attrs). */
function balancedBody(c: Cursor): string {
  const start = c.pos;
  let depth = 0;
  const t = c.text;
  for (let p = c.pos; p < t.length; p++) {
    const ch = t[p];
    if (ch === '"') {
      c.pos = p;
      c.string();
      p = c.pos - 1;
      continue;
    }
    if (ch === '<' || ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === '>' || ch === ')' || ch === ']' || ch === '}') {
      depth--;
      if (depth === 0) {
        c.pos = p + 1;
        return t.slice(start, p + 1);
      }
    }
  }
  c.error('unbalanced brackets in dialect type or attribute', start);
}

function parseDialectType(c: Cursor, al: Aliases): Type {
  const start = c.pos;
  c.expect('!');
  const name = c.suffixId();
  if (!name) c.error('expected dialect type name after !', start);
  if (!name.includes('.')) {
    const t = al.types.get(name);
    if (!t) c.error(`undefined symbol alias id '${name}'`, start);
    return t;
  }
  const dot = name.indexOf('.');
  const dialect = name.slice(0, dot);
  const mnemonic = name.slice(dot + 1);
  if (dialect === 'quant') {
    c.expect('<', `after !quant.${mnemonic}`);
    if (mnemonic === 'uniform') return parseUniform(c, al, start);
    if (mnemonic === 'calibrated') return parseCalibrated(c, al);
    c.error(`unknown quant type '${mnemonic}'`, start);
  }
  const body = c.text[c.pos] === '<' ? balancedBody(c) : '';
  return opaqueType(dialect, mnemonic + body);
}

function parseStorage(c: Cursor): { storage: IntegerType; min: number; max: number } {
  const start = c.pos;
  const id = c.ident();
  const m = id ? /^([iu])([0-9]+)$/.exec(id) : null;
  if (!m) c.error('expected storage type (i8, u8, i16, …)', start);
  const width = Number(m[2]);
  // MLIR caps quant storage at 32 bits; qopt also accepts 64 (TFLite 16x8 int64 biases).
  if (width < 2 || width > 64) c.error(`illegal storage type size: ${width}`, start);
  const storage = integerType(width, m[1] === 'u' ? 'unsigned' : 'signless');
  let [min, max] = storageRange(storage);
  if (c.text[c.pos] === '<') {
    c.pos++;
    const lo = c.expectInteger('storage min');
    c.expect(':');
    const hi = c.expectInteger('storage max');
    c.expect('>');
    const [dlo, dhi] = storageRange(storage);
    if (lo < dlo || hi > dhi || lo >= hi) c.error(`illegal storage type minimum/maximum: ${lo}:${hi}`, start);
    min = lo;
    max = hi;
  }
  return { storage, min, max };
}

function parseExpressed(c: Cursor, al: Aliases): FloatType {
  const start = c.pos;
  const t = parseType(c, al, 'expressed type');
  if (t.kind !== 'float') c.error('expecting float expressed type', start);
  return t;
}

function parseFloatLiteral(c: Cursor, what: string): number {
  const start = c.pos;
  const s = c.number();
  if (s === undefined) {
    if (c.eatKeyword('inf')) return Infinity;
    c.error(`expected ${what}`, start);
  }
  return Number(s);
}

function parseUniform(c: Cursor, al: Aliases, start: number): Type {
  const { storage, min, max } = parseStorage(c);
  c.expect(':');
  const expressed = parseExpressed(c, al);
  let axis: number | undefined;
  if (c.eat(':')) axis = c.expectInteger('quantized dimension');
  c.expect(',');
  const param = (): [number, number] => {
    const s = parseFloatLiteral(c, 'scale');
    let zp = 0;
    if (c.eat(':')) zp = c.expectInteger('zero point');
    if (!(s > 0) || !Number.isFinite(s)) c.error(`illegal scale: ${s}`, start);
    if (zp < min || zp > max) c.error(`illegal zero point ${zp} for storage range ${min}:${max}`, start);
    return [s, zp];
  };
  if (axis === undefined) {
    const [s, zp] = param();
    c.expect('>', 'to close !quant.uniform');
    return uniformQuantType(storage, expressed, s, zp, min, max);
  }
  c.expect('{');
  const scales: number[] = [];
  const zps: number[] = [];
  do {
    const [s, zp] = param();
    scales.push(s);
    zps.push(zp);
  } while (c.eat(','));
  c.expect('}');
  c.expect('>', 'to close !quant.uniform');
  if (axis < 0) c.error(`illegal quantized dimension: ${axis}`, start);
  return uniformPerAxisQuantType(storage, expressed, axis, scales, zps, min, max);
}

function parseCalibrated(c: Cursor, al: Aliases): Type {
  const expressed = parseExpressed(c, al);
  c.expect('<');
  const lo = parseFloatLiteral(c, 'calibrated min');
  c.expect(':');
  const hi = parseFloatLiteral(c, 'calibrated max');
  c.expect('>');
  c.expect('>', 'to close !quant.calibrated');
  if (lo > hi) c.error(`illegal calibrated range: min ${lo} > max ${hi}`);
  return calibratedQuantType(expressed, lo, hi);
}

/** Parses an attribute value. */
export function parseAttr(c: Cursor, al: Aliases): Attribute {
  c.skip();
  const start = c.pos;
  const ch = c.peek();
  if (ch === '"') {
    const s = c.string()!;
    if (c.eat(':')) parseType(c, al); // typed strings: keep the string
    return stringAttr(s);
  }
  if (ch === '[') {
    c.pos++;
    const els: Attribute[] = [];
    if (!c.eat(']')) {
      do els.push(parseAttr(c, al));
      while (c.eat(','));
      c.expect(']', 'to close array attribute');
    }
    return arrayAttr(els);
  }
  if (ch === '{') return parseAttrDict(c, al);
  if (ch === '@') {
    const parts: string[] = [];
    do {
      c.expect('@');
      const s = c.text[c.pos] === '"' ? c.string() : c.suffixId();
      if (s === undefined) c.error('expected symbol name');
      parts.push(s);
    } while (c.eat('::'));
    return symbolRefAttr(parts[0]!, parts.slice(1));
  }
  if (ch === '#') {
    c.pos++;
    const name = c.suffixId();
    if (!name) c.error('expected attribute name after #', start);
    if (!name.includes('.')) {
      const a = al.attrs.get(name);
      if (!a) c.error(`undefined symbol alias id '${name}'`, start);
      return a;
    }
    const dot = name.indexOf('.');
    const body = c.text[c.pos] === '<' ? balancedBody(c) : '';
    return opaqueAttr(name.slice(0, dot), name.slice(dot + 1) + body);
  }
  if (ch === '-' || /[0-9]/.test(ch)) return parseNumberAttr(c, al, start);
  if (c.eatKeyword('true')) return boolAttr(true);
  if (c.eatKeyword('false')) return boolAttr(false);
  if (c.eatKeyword('unit')) return unitAttr();
  if (c.eatKeyword('dense')) return parseDense(c, al, start);
  const t = tryParseType(c, al);
  if (t) return typeAttr(t);
  c.error('expected attribute value', start);
}

function parseNumberAttr(c: Cursor, al: Aliases, start: number): Attribute {
  const text = c.number();
  if (text === undefined) c.error('expected attribute value', start);
  let type: Type | undefined;
  if (c.eat(':')) type = parseType(c, al);
  const isHex = /0x/i.test(text);
  const isFloatText = !isHex && /[.eE]/.test(text);
  if (type?.kind === 'float') {
    const v = isHex ? floatFromHex(text, type.width) : Number(text);
    return floatAttr(v, type);
  }
  if (isFloatText) {
    if (type) c.error('floating point value not valid for specified type', start);
    return floatAttr(Number(text), floatType('f64'));
  }
  const big = BigInt(text.startsWith('-') ? `-${text.slice(1)}` : text);
  const t = type ?? integerType(64);
  if (t.kind === 'integer') {
    const [lo, hi] = integerLimits(t.width, t.signedness === 'unsigned');
    if (big < lo || big > hi) c.error(`integer constant out of range for attribute`, start);
    if (t.width === 1) return boolAttr(big !== 0n);
  } else if (t.kind !== 'index') c.error('integer literal not valid for specified type', start);
  return integerAttr(big, t);
}

/** `{k = v, flag, "quoted key" = v}` */
export function parseAttrDict(c: Cursor, al: Aliases): Attribute & { kind: 'dictionary' } {
  c.expect('{');
  const entries: [string, Attribute][] = [];
  const seen = new Set<string>();
  if (!c.eat('}')) {
    do {
      const kpos = c.pos;
      c.skip();
      const key = c.peek() === '"' ? c.string() : c.ident();
      if (key === undefined) c.error('expected attribute name', kpos);
      if (seen.has(key)) c.error(`duplicate key '${key}' in dictionary attribute`, kpos);
      seen.add(key);
      entries.push([key, c.eat('=') ? parseAttr(c, al) : unitAttr()]);
    } while (c.eat(','));
    c.expect('}', 'to close attribute dictionary');
  }
  return dictionaryAttr(entries);
}

/** Parses a dense literal element as number|bigint for a codec. */
function parseDenseElement(c: Cursor, isFloat: boolean, bits: number, unsigned: boolean): number | bigint {
  const start = c.pos;
  if (c.eatKeyword('true')) return 1;
  if (c.eatKeyword('false')) return 0;
  const text = c.number();
  if (text === undefined) c.error('expected element literal', start);
  if (isFloat) {
    if (/0x/i.test(text)) return floatFromHex(text, bits);
    return Number(text);
  }
  if (/[.eE]/.test(text) && !/0x/i.test(text)) c.error('expected integer elements, but parsed floating-point', start);
  const v = BigInt(text);
  const [lo, hi] = integerLimits(bits, unsigned);
  if (v < lo || v > hi) c.error(`integer constant out of range for type`, start);
  return bits > 32 ? v : Number(v);
}

function parseDense(c: Cursor, al: Aliases, start: number): Attribute {
  c.expect('<', 'after dense');
  c.skip();
  const bodyStart = c.pos;
  // Parse the body into a structure first; the type comes after.
  type Node = { list: Node[] } | { text: number } | { hex: string };
  let hex: string | undefined;
  let root: Node | undefined;
  if (c.peek() === '"') {
    hex = c.string()!;
    // c.string decoded escapes; the hex form has none.
  } else if (c.peek() === '>') {
    root = undefined;
  } else {
    // Remember positions of scalars, re-parse them once the element type is known.
    const rec = (): Node => {
      if (c.eat('[')) {
        const list: Node[] = [];
        if (!c.eat(']')) {
          do list.push(rec());
          while (c.eat(','));
          c.expect(']', 'in dense literal');
        }
        return { list };
      }
      c.skip();
      const p = c.pos;
      if (!(c.eatKeyword('true') || c.eatKeyword('false') || c.number() !== undefined)) c.error('expected element literal', p);
      return { text: p };
    };
    root = rec();
  }
  c.expect('>', 'to close dense');
  c.expect(':', 'after dense literal');
  const tpos = c.pos;
  const type = parseType(c, al);
  if (type.kind !== 'tensor') c.error('elements literal must be a ranked tensor type', tpos);
  if (type.shape.some((d) => d < 0)) c.error('elements literal type must have static shape', tpos);
  const el = type.element;
  if (el.kind !== 'integer' && el.kind !== 'float' && el.kind !== 'index')
    c.error('dense elements require an integer or float element type', tpos);
  const codec = elementCodec(el);
  const n = type.shape.reduce((a, b) => a * b, 1);
  const width = elementByteWidth(el);
  const after = c.pos;
  if (hex !== undefined) {
    if (!/^0x[0-9a-fA-F]*$/.test(hex) || hex.length % 2 !== 0) c.error('elements hex string should start with 0x', bodyStart);
    const nbytes = (hex.length - 2) / 2;
    if (nbytes !== n * width && nbytes !== width)
      c.error(`elements hex data size is invalid for provided type: ${nbytes} bytes for ${n} elements`, bodyStart);
    const bytes = new Uint8Array(nbytes);
    for (let i = 0; i < nbytes; i++) bytes[i] = parseInt(hex.slice(2 + 2 * i, 4 + 2 * i), 16);
    return denseAttr(type, bytes);
  }
  const unsigned = el.kind === 'integer' && el.signedness === 'unsigned';
  const values: (number | bigint)[] = [];
  const shapeOf = (node: Node, dim: number): void => {
    if ('list' in node) {
      if (dim >= type.shape.length || node.list.length !== type.shape[dim])
        c.error(`inferred shape of elements literal does not match type ${'`'}${type.shape.join('x')}${'`'}`, bodyStart);
      for (const ch of node.list) shapeOf(ch, dim + 1);
    } else if ('text' in node) {
      if (dim !== type.shape.length && !(dim === 0)) c.error('elements literal nesting does not match the type', bodyStart);
      c.pos = node.text;
      values.push(parseDenseElement(c, codec.isFloat, codec.bits, unsigned));
    }
  };
  if (root === undefined) {
    if (n !== 0) c.error('empty dense literal for a non-empty tensor', bodyStart);
    c.pos = after;
    return denseAttr(type, new Uint8Array(0));
  }
  if ('text' in root) {
    c.pos = root.text;
    values.push(parseDenseElement(c, codec.isFloat, codec.bits, unsigned));
  } else shapeOf(root, 0);
  c.pos = after;
  const count = values.length === 1 && n !== 1 ? 1 : n;
  if (values.length !== count) c.error('elements literal size does not match the type', bodyStart);
  const bytes = new Uint8Array(count * width);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => codec.write(view, i * width, v));
  void start;
  return denseAttr(type, bytes);
}

/** Whether an identifier names a builtin type (used to disambiguate attribute values). */
export function isBuiltinTypeName(id: string): boolean {
  return BUILTIN_TYPE.test(id);
}
