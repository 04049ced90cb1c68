/**
 * Printing types and attributes in MLIR syntax: builtin types, the quant dialect's
 * `!quant.uniform<…>` / `!quant.calibrated<…>`, dense elements (nested lists, splats, hex for large
 * data), strings with MLIR escapes, and floats in the one canonical format.
 */
import { type Attribute, type DenseElementsAttr, denseNumElements } from '../ir/attribute.js';
import { type IntegerType, type Type, storageRange } from '../ir/type.js';
import { elementCodec } from './dense-values.js';
import { formatFloat } from './number-format.js';

/** Dense attributes with more elements than this print in hex. */
export const HEX_THRESHOLD = 64;

function quantStorage(s: IntegerType, min: number, max: number): string {
  const name = `${s.signedness === 'unsigned' ? 'u' : 'i'}${s.width}`;
  const [lo, hi] = storageRange(s);
  return min === lo && max === hi ? name : `${name}<${min}:${max}>`;
}

/** Prints a type. */
export function printType(t: Type): string {
  switch (t.kind) {
    case 'integer':
      return `${t.signedness === 'signed' ? 'si' : t.signedness === 'unsigned' ? 'ui' : 'i'}${t.width}`;
    case 'float':
      return t.name;
    case 'index':
      return 'index';
    case 'none':
      return 'none';
    case 'tensor':
      return `tensor<${t.shape.map((d) => (d < 0 ? '?' : String(d))).join('x')}${t.shape.length ? 'x' : ''}${printType(t.element)}>`;
    case 'unranked_tensor':
      return `tensor<*x${printType(t.element)}>`;
    case 'function': {
      const ins = `(${t.inputs.map(printType).join(', ')})`;
      const single = t.results.length === 1 && t.results[0]!.kind !== 'function';
      return `${ins} -> ${single ? printType(t.results[0]!) : `(${t.results.map(printType).join(', ')})`}`;
    }
    case 'quant.uniform': {
      const zp = t.zeroPoint !== 0 ? `:${t.zeroPoint}` : '';
      return `!quant.uniform<${quantStorage(t.storage, t.storageMin, t.storageMax)}:${printType(t.expressed)}, ${formatFloat(t.scale)}${zp}>`;
    }
    case 'quant.uniform_per_axis': {
      const params = t.scales.map((s, i) => `${formatFloat(s)}${t.zeroPoints[i] ? `:${t.zeroPoints[i]}` : ''}`).join(',');
      return `!quant.uniform<${quantStorage(t.storage, t.storageMin, t.storageMax)}:${printType(t.expressed)}:${t.axis}, {${params}}>`;
    }
    case 'quant.calibrated':
      return `!quant.calibrated<${printType(t.expressed)}<${formatFloat(t.min)}:${formatFloat(t.max)}>>`;
    case 'opaque':
      return `!${t.dialect}.${t.body}`;
  }
}

/** Escapes a string as MLIR prints string literals. */
export function printString(s: string): string {
  if (/^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/.test(s)) return `"${s}"`;
  let out = '"';
  for (const b of new TextEncoder().encode(s)) {
    if (b === 0x22) out += '\\"';
    else if (b === 0x5c) out += '\\\\';
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `\\${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return `${out}"`;
}

/** Whether a key can print bare (`foo_bar.baz`) or needs quotes. */
export function printAttrKey(k: string): string {
  return /^[A-Za-z_][A-Za-z0-9_$.]*$/.test(k) ? k : printString(k);
}

function printElement(v: number | bigint, isFloat: boolean, bits: number): string {
  if (isFloat) return formatFloat(Number(v), bits as 16 | 32 | 64);
  if (bits === 1) return v ? 'true' : 'false';
  return String(v);
}

function printDenseBody(a: DenseElementsAttr): string {
  const codec = elementCodec(a.type.element);
  const view = new DataView(a.bytes.buffer, a.bytes.byteOffset, a.bytes.byteLength);
  const n = denseNumElements(a);
  // Splats and single elements print as one value, as MLIR does.
  if (a.splat || n === 1) return printElement(codec.read(view, 0), codec.isFloat, codec.bits);
  if (n > HEX_THRESHOLD && codec.bits !== 1) {
    let hex = '"0x';
    for (const b of a.bytes) hex += b.toString(16).toUpperCase().padStart(2, '0');
    return `${hex}"`;
  }
  const shape = a.type.shape;
  if (shape.length === 0) return printElement(codec.read(view, 0), codec.isFloat, codec.bits);
  let idx = 0;
  const rec = (dim: number): string => {
    const parts: string[] = [];
    for (let i = 0; i < shape[dim]!; i++) {
      if (dim === shape.length - 1) parts.push(printElement(codec.read(view, codec.width * idx++), codec.isFloat, codec.bits));
      else parts.push(rec(dim + 1));
    }
    return `[${parts.join(', ')}]`;
  };
  return rec(0);
}

/** Prints an attribute (with its `: type` suffix where MLIR prints one). */
export function printAttr(a: Attribute): string {
  switch (a.kind) {
    case 'integer':
      if (a.type.kind === 'integer' && a.type.width === 1) return a.value ? 'true' : 'false';
      return `${String(a.value)} : ${printType(a.type)}`;
    case 'float':
      return `${formatFloat(a.value, a.type.width as 16 | 32 | 64)} : ${printType(a.type)}`;
    case 'bool':
      return a.value ? 'true' : 'false';
    case 'string':
      return printString(a.value);
    case 'array':
      return `[${a.elements.map(printAttr).join(', ')}]`;
    case 'dictionary':
      return printAttrDict(a.entries);
    case 'type':
      return printType(a.value);
    case 'unit':
      return 'unit';
    case 'symbol_ref':
      return [a.root, ...a.nested].map((s) => `@${/^[A-Za-z_][A-Za-z0-9_$.]*$/.test(s) ? s : printString(s)}`).join('::');
    case 'dense':
      return `dense<${printDenseBody(a)}> : ${printType(a.type)}`;
    case 'opaque':
      return `#${a.dialect}.${a.body}`;
  }
}

/** Prints `{a = 1 : i32, b}` (unit attributes print as a bare key); entries in the given order. */
export function printAttrDict(entries: Iterable<readonly [string, Attribute]>): string {
  const parts: string[] = [];
  for (const [k, v] of entries) parts.push(v.kind === 'unit' ? printAttrKey(k) : `${printAttrKey(k)} = ${printAttr(v)}`);
  return `{${parts.join(', ')}}`;
}
