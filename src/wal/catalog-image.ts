/**
 * Catalog images: the committed catalog as JSON, without its runtime parts, so a WAL commit record
 * (after DDL) or a checkpoint can carry it and recovery can rebuild it.
 *
 * Encoding rules (a tagged JSON; tags are keys starting with \u0001, which no identifier uses):
 *   TableStore      -> { "\u0001store": storageId }          (rows travel separately, by storageId)
 *   IndexDef        -> the definition without `runtime` and `codec` (rebuilt by the engine)
 *   SequenceDef     -> the definition with `state` = { last, isCalled } from `sequenceState()`
 *   bigint          -> { "\u0001big": "123" }
 *   runtime values  -> { "\u0001val": base64(value codec) }  (column `missing` values, etc.)
 *   undefined       -> { "\u0001undef": 1 };  NaN/±Infinity -> { "\u0001num": "NaN" }
 *   SqlType objects -> re-interned through typeOf() when they are unmodified types.
 *
 * Invariants:
 *  1. decode(encode(c)) has the same schemas, relations (by oid and by name), nextOid and version.
 *  2. A class instance the encoder does not know is a programmer error (assert), not silent loss.
 *  3. Index definitions come back without runtimes; the caller must rebuild them before use.
 */
import { assert } from '../errors/index.ts';
import { Catalog } from '../catalog/catalog.ts';
import type { IndexDef, RelationDef, SchemaDef, SequenceDef } from '../catalog/objects.ts';
import { SequenceState } from '../catalog/objects.ts';
import type { EventTriggerDef, RoutineDef, ScheduleDef, TriggerDef } from '../catalog/routines.ts';
import { TableStore } from '../storage/table-store.ts';
import { NumericValue } from '../types/numeric.ts';
import { Interval } from '../types/interval.ts';
import { Jsonb } from '../types/json.ts';
import { SqlArray } from '../types/array.ts';
import { typeOf, type SqlType } from '../types/sql-type.ts';
import { valueFromBytes, valueToBytes } from './value-codec.ts';

const TAG_STORE = '\u0001store';
const TAG_BIG = '\u0001big';
const TAG_VAL = '\u0001val';
const TAG_UNDEF = '\u0001undef';
const TAG_NUM = '\u0001num';

export interface SequenceImage {
  readonly last: bigint;
  readonly isCalled: boolean;
}

export interface CatalogImage {
  readonly version: number;
  readonly nextOid: number;
  readonly schemas: unknown[];
  readonly relations: unknown[];
  /** User routines, triggers and event triggers (absent in images written before they existed). */
  readonly routines?: unknown[];
  readonly triggers?: unknown[];
  readonly eventTriggers?: unknown[];
  readonly schedules?: unknown[];
}

function isRuntimeValue(v: object): boolean {
  return v instanceof Uint8Array || v instanceof NumericValue || v instanceof Interval ||
    v instanceof Jsonb || v instanceof SqlArray;
}

function encodeAny(v: unknown, depth: number): unknown {
  assert(depth < 10_000, 'catalog image: nesting too deep');
  switch (typeof v) {
    case 'string': case 'boolean': return v;
    case 'number': return Number.isFinite(v) ? v : { [TAG_NUM]: String(v) };
    case 'bigint': return { [TAG_BIG]: v.toString() };
    case 'undefined': return { [TAG_UNDEF]: 1 };
    case 'object': break;
    default: assert(false, `catalog image: cannot encode a ${typeof v}`);
  }
  if (v === null) return null;
  if (Array.isArray(v)) return v.map((e) => encodeAny(e, depth + 1));
  if (v instanceof TableStore) return { [TAG_STORE]: v.storageId };
  if (isRuntimeValue(v)) return { [TAG_VAL]: Buffer.from(valueToBytes(v)).toString('base64') };
  const proto = Object.getPrototypeOf(v) as unknown;
  assert(proto === Object.prototype || proto === null,
    `catalog image: unknown object ${Object.prototype.toString.call(v)}`);
  const out: Record<string, unknown> = {};
  for (const [k, e] of Object.entries(v)) out[k] = encodeAny(e, depth + 1);
  return out;
}

function encodeRelation(rel: RelationDef, seqState: (s: SequenceDef) => SequenceImage): unknown {
  if (rel.kind === 'index') {
    const { runtime: _r, codec: _c, ...rest } = rel;
    return encodeAny(rest, 0);
  }
  if (rel.kind === 'table') {
    return encodeAny({ ...rel, indexes: rel.indexes.map((i) => {
      const { runtime: _r, codec: _c, ...rest } = i;
      return rest;
    }) }, 0);
  }
  if (rel.kind === 'sequence') {
    const st = seqState(rel);
    return encodeAny({ ...rel, state: { last: st.last, isCalled: st.isCalled } }, 0);
  }
  return encodeAny(rel, 0);
}

/** The catalog as a JSON-able image; `seqState` gives the sequence state to make durable. */
export function encodeCatalog(catalog: Catalog, seqState: (s: SequenceDef) => SequenceImage): CatalogImage {
  const relations: unknown[] = [];
  for (const rel of catalog.byOid.values()) relations.push(encodeRelation(rel, seqState));
  return {
    version: catalog.version,
    nextOid: catalog.nextOid,
    schemas: [...catalog.schemas.values()].map((s) => encodeAny(s, 0)),
    relations,
    routines: [...catalog.routines.values()].map((r) => encodeAny(r, 0)),
    triggers: [...catalog.triggers.values()].map((t) => encodeAny(t, 0)),
    eventTriggers: [...catalog.eventTriggers.values()].map((t) => encodeAny(t, 0)),
    schedules: [...catalog.schedules.values()].map((t) => encodeAny(t, 0)),
  };
}

export interface DecodeHooks {
  /** The table store for a storage id (recovery keeps one per id across catalog images). */
  store(storageId: number): TableStore;
  /** The shared sequence state for a sequence oid, set to the imaged state. */
  sequenceState(oid: number, image: SequenceImage): SequenceState;
}

function isTypeShape(o: Record<string, unknown>): boolean {
  const keys = Object.keys(o);
  return keys.length === 3 && 'oid' in o && 'typmod' in o && 'elem' in o;
}

function decodeAny(v: unknown, hooks: DecodeHooks): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((e) => decodeAny(e, hooks));
  const o = v as Record<string, unknown>;
  if (TAG_STORE in o) return hooks.store(o[TAG_STORE] as number);
  if (TAG_BIG in o) return BigInt(o[TAG_BIG] as string);
  if (TAG_VAL in o) return valueFromBytes(new Uint8Array(Buffer.from(o[TAG_VAL] as string, 'base64')));
  if (TAG_UNDEF in o) return undefined;
  if (TAG_NUM in o) return Number(o[TAG_NUM] as string);
  const out: Record<string, unknown> = {};
  for (const [k, e] of Object.entries(o)) out[k] = decodeAny(e, hooks);
  if (isTypeShape(out)) return internType(out as unknown as SqlType);
  return out;
}

function internType(t: SqlType): SqlType {
  const base = typeOf(t.oid);
  if (t.typmod === -1 && (t.elem === null ? base.elem === null : base.elem !== null &&
    base.elem.oid === t.elem.oid && t.elem.typmod === -1)) return base;
  return Object.freeze({ oid: t.oid, typmod: t.typmod, elem: t.elem });
}

/** Rebuilds a catalog from an image. Index definitions lack runtimes (see invariant 3). */
export function decodeCatalog(image: CatalogImage, hooks: DecodeHooks): Catalog {
  const schemas = new Map<string, SchemaDef>();
  for (const s of image.schemas) {
    const def = decodeAny(s, hooks) as SchemaDef;
    schemas.set(def.name, def);
  }
  const catalog = new Catalog(image.version, schemas, new Map(), new Map(), image.nextOid);
  for (const r of image.relations) {
    const rel = decodeAny(r, hooks) as Record<string, unknown>;
    if (rel['kind'] === 'sequence') {
      const st = rel['state'] as { last: bigint; isCalled: boolean };
      rel['state'] = hooks.sequenceState(rel['oid'] as number, st);
    }
    catalog.putRelation(rel as unknown as RelationDef);
  }
  for (const r of image.routines ?? []) {
    const def = decodeAny(r, hooks) as RoutineDef;
    catalog.routines.set(def.oid, def);
  }
  for (const t of image.triggers ?? []) {
    const def = decodeAny(t, hooks) as TriggerDef;
    catalog.triggers.set(def.oid, def);
  }
  for (const t of image.eventTriggers ?? []) {
    const def = decodeAny(t, hooks) as EventTriggerDef;
    catalog.eventTriggers.set(def.oid, def);
  }
  for (const t of image.schedules ?? []) {
    const def = decodeAny(t, hooks) as ScheduleDef;
    catalog.schedules.set(def.oid, def);
  }
  return catalog;
}

/** Index definitions of a decoded catalog still waiting for their runtime. */
export function indexNeedsRuntime(def: IndexDef): boolean {
  return (def as { runtime?: unknown }).runtime === undefined;
}

export { SequenceState };
