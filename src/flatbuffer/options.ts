/**
 * Builtin options <-> op attributes, driven by the schema: every options-table field becomes an
 * attribute named as in the schema (snake_case, which is what TensorFlow's TFL dialect uses), enums
 * as their value names, ints as i32 (long as i64), floats as f32, int vectors as i64 arrays, and
 * subgraph indices as symbol references to the function of that subgraph.
 */
import {
  type Attribute,
  arrayAttr,
  boolAttr,
  floatAttr,
  integerAttr,
  stringAttr,
  symbolRefAttr,
} from '../ir/attribute.js';
import { floatType, integerType } from '../ir/type.js';
import * as G from './generated/tflite_generated.js';
import { SCHEMA_ENUMS, SCHEMA_TABLES, type SchemaField } from './schema-meta.generated.js';

const INT_TYPES = new Set(['int', 'int32', 'uint', 'uint32', 'short', 'ushort', 'byte', 'ubyte', 'int8', 'uint8', 'int16', 'uint16']);
const LONG_TYPES = new Set(['long', 'ulong', 'int64', 'uint64']);

/** flatc's camelCase of a snake_case field name. */
export function camel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Fields of an options table. */
export function optionFields(table: string): readonly SchemaField[] {
  return SCHEMA_TABLES[table] ?? [];
}

function enumName(enumType: string, value: number): string | undefined {
  const e = SCHEMA_ENUMS[enumType];
  if (!e) return undefined;
  for (const [k, v] of Object.entries(e)) if (v === value) return k;
  return undefined;
}

/** Whether a field is a subgraph reference. */
export function isSubgraphField(f: SchemaField): boolean {
  return f.name.endsWith('subgraph_index') && !f.vector;
}

/**
 * Attributes of an unpacked options object (`XxxOptionsT`). `subgraphName` turns subgraph indices
 * into symbols. Fields at their schema default are kept only if `keep(field)` says so.
 */
export function optionsToAttributes(
  table: string,
  obj: Record<string, unknown>,
  subgraphName: (index: number) => string | undefined,
  keep: (field: string) => boolean,
): { attrs: [string, Attribute][]; error?: string } {
  const attrs: [string, Attribute][] = [];
  for (const f of optionFields(table)) {
    const raw = obj[camel(f.name)];
    if (raw === undefined || raw === null) continue;
    let a: Attribute | undefined;
    let isDefault = false;
    if (f.vector) {
      if (!Array.isArray(raw)) continue;
      if (!INT_TYPES.has(f.type) && !LONG_TYPES.has(f.type)) continue;
      a = arrayAttr(raw.map((x) => integerAttr(BigInt(x as number), integerType(64))));
      isDefault = raw.length === 0;
    } else if (SCHEMA_ENUMS[f.type]) {
      const n = enumName(f.type, Number(raw));
      if (n === undefined) return { attrs, error: `field '${f.name}' has unknown ${f.type} value ${String(raw)}` };
      a = stringAttr(n);
      const dflt = f.default !== undefined ? f.default : Object.keys(SCHEMA_ENUMS[f.type]!).find((k) => SCHEMA_ENUMS[f.type]![k] === 0);
      isDefault = n === dflt;
    } else if (f.type === 'bool') {
      a = boolAttr(Boolean(raw));
      isDefault = Boolean(raw) === (f.default === 'true');
    } else if (f.type === 'float' || f.type === 'double') {
      a = floatAttr(Number(raw), floatType('f32'));
      isDefault = Number(raw) === Number(f.default ?? 0);
    } else if (INT_TYPES.has(f.type) || LONG_TYPES.has(f.type)) {
      if (isSubgraphField(f)) {
        const name = subgraphName(Number(raw));
        if (name === undefined) return { attrs, error: `field '${f.name}' refers to subgraph ${String(raw)}, which does not exist` };
        a = symbolRefAttr(name);
      } else {
        a = integerAttr(typeof raw === 'bigint' ? raw : BigInt(raw as number), integerType(LONG_TYPES.has(f.type) ? 64 : 32));
        isDefault = Number(raw) === Number(f.default ?? 0);
      }
    } else if (f.type === 'string') {
      a = stringAttr(String(raw));
      isDefault = raw === '';
    }
    if (a && (!isDefault || keep(f.name))) attrs.push([f.name, a]);
  }
  return { attrs };
}

/**
 * Builds an unpacked options object (`XxxOptionsT`) from attributes; fields without an attribute
 * keep the schema default. `subgraphIndex` resolves symbol references.
 */
export function attributesToOptions(
  table: string,
  attr: (name: string) => Attribute | undefined,
  subgraphIndex: (symbol: string) => number | undefined,
): { obj: object; error?: string } {
  const ctor = (G as unknown as Record<string, new () => Record<string, unknown>>)[`${table}T`];
  if (!ctor) return { obj: {}, error: `no options table '${table}'` };
  const obj = new ctor();
  for (const f of optionFields(table)) {
    const a = attr(f.name);
    if (!a) continue;
    const key = camel(f.name);
    if (f.vector) {
      if (a.kind !== 'array') return { obj, error: `attribute '${f.name}' must be an array` };
      obj[key] = a.elements.map((e) => (e.kind === 'integer' ? Number(e.value) : 0));
    } else if (SCHEMA_ENUMS[f.type]) {
      if (a.kind !== 'string') return { obj, error: `attribute '${f.name}' must be a string (${f.type})` };
      const v = SCHEMA_ENUMS[f.type]![a.value];
      if (v === undefined) return { obj, error: `attribute '${f.name}': '${a.value}' is not a ${f.type}` };
      obj[key] = v;
    } else if (f.type === 'bool') {
      obj[key] = a.kind === 'bool' ? a.value : a.kind === 'unit';
    } else if (f.type === 'float' || f.type === 'double') {
      if (a.kind !== 'float' && a.kind !== 'integer') return { obj, error: `attribute '${f.name}' must be a float` };
      obj[key] = Number(a.value);
    } else if (INT_TYPES.has(f.type) || LONG_TYPES.has(f.type)) {
      if (a.kind === 'symbol_ref' && isSubgraphField(f)) {
        const idx = subgraphIndex(a.root);
        if (idx === undefined) return { obj, error: `attribute '${f.name}' refers to unknown function @${a.root}` };
        obj[key] = idx;
      } else if (a.kind === 'integer') obj[key] = LONG_TYPES.has(f.type) ? BigInt(a.value) : Number(a.value);
      else if (a.kind === 'bool') obj[key] = a.value ? 1 : 0;
      else return { obj, error: `attribute '${f.name}' must be an integer` };
    } else if (f.type === 'string' && a.kind === 'string') obj[key] = a.value;
  }
  return { obj };
}
