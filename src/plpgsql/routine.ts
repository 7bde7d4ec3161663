/**
 * A compiled PL/pgSQL function: the parsed body plus per-host caches of prepared SQL. call() and
 * callTrigger() build a Frame, bind arguments (or NEW/OLD and the TG_ variables) and run the
 * outer block; types that need the catalog (%TYPE, %ROWTYPE, table row types) are looked up
 * through the host on the first call.
 */
import { DbError } from '../errors/index.ts';
import type { CompiledRoutine, RoutineHost, RoutineSource, TriggerCall } from '../scripting/language.ts';
import { SqlArray } from '../types/array.ts';
import { formatType, Oid } from '../types/sql-type.ts';
import type { FunctionAst, VarDef } from './ast.ts';
import { errorWithCode } from './conditions.ts';
import { Frame, HostCache, RETURN, type RoutineInfo } from './frame.ts';
import { execBlock } from './interp.ts';
import { conformRow } from './statements.ts';
import { parseFunction, shortName } from './parser.ts';
import { coerceValue, RecordValue } from './values.ts';
import { newRow } from '../exec/new-row.ts';

export class PlpgsqlRoutine implements CompiledRoutine {
  private readonly info: RoutineInfo;
  private caches = new WeakMap<RoutineHost, HostCache>();
  private resolved = false;
  /** The host of the previous call and its cache: consecutive calls usually share a session. */
  private lastHost: RoutineHost | null = null;
  private lastCache: HostCache | null = null;

  constructor(source: RoutineSource) {
    const ast = parseFunction(source);
    this.info = {
      ast,
      signature: `${shortName(source.name)}(${source.argTypes.map(formatType).join(',')})`,
      returnType: source.returnType,
      returnsSet: source.returnsSet,
      isProcedure: source.isProcedure,
      isTrigger: source.isTrigger,
      cpuMillis: source.limits.cpuMillis,
    };
  }

  private frame(host: RoutineHost): Frame {
    if (!this.resolved) {
      resolveTypes(this.info.ast, host);
      this.resolved = true;
    }
    let cache = this.lastHost === host ? this.lastCache : this.caches.get(host);
    if (cache === undefined || cache === null) {
      cache = new HostCache(this.info.ast.exprCount);
      this.caches.set(host, cache);
    }
    this.lastHost = host;
    this.lastCache = cache;
    const f = new Frame(this.info, host, cache);
    f.values[this.info.ast.found.slot] = false;
    return f;
  }

  call(args: readonly unknown[], host: RoutineHost): unknown {
    const f = this.frame(host);
    const ast = this.info.ast;
    for (let i = 0; i < ast.args.length; i++) {
      const v = ast.args[i]!;
      const a = args[i] ?? null;
      f.values[v.slot] = v.kind === 'record' && Array.isArray(a) ? new RecordValue([], a.slice()) : a;
    }
    const r = execBlock(f, ast.block);
    return this.result(f, r);
  }

  /** Scalar calls over a batch of argument rows (one result per row). */
  callBatch(argRows: readonly (readonly unknown[])[], host: RoutineHost): unknown[] {
    const out = new Array<unknown>(argRows.length);
    for (let i = 0; i < argRows.length; i++) out[i] = this.call(argRows[i]!, host);
    return out;
  }

  private result(f: Frame, r: number): unknown {
    const info = this.info;
    const outs = info.ast.outs;
    if (info.returnsSet) return f.results;
    if (outs.length > 0 && info.ast.outsAreVars) {
      const row = outs.map((v) => f.values[v.slot] ?? null);
      const scalar = outs.length === 1 && !info.isProcedure && info.returnType !== null && info.returnType.oid !== Oid.record;
      return scalar ? row[0] : row;
    }
    if (info.isProcedure) return null;
    const rt = info.returnType;
    if (r !== RETURN) {
      if (rt === null || rt.oid === Oid.void) return null;
      throw errorWithCode('2F005', 'control reached end of function without RETURN', {
        where: `PL/pgSQL function ${info.signature}`,
      });
    }
    const v = f.returnValue;
    if (!(v instanceof RecordValue)) return v;
    if (v.isNull) return null;
    return outs.length === 0 ? v.values.slice() : conformRow(f, v.fields.map((x) => x.type), v.values);
  }

  callTrigger(trigger: TriggerCall, host: RoutineHost): readonly unknown[] | null {
    const f = this.frame(host);
    const tv = this.info.ast.trigger;
    if (tv === null) throw new DbError('object_not_in_prerequisite_state', 'function was not compiled as a trigger function');
    const cols = trigger.columns;
    const vals = f.values;
    vals[tv.newRec.slot] = trigger.newRow === null ? nullRow(cols) : new RecordValue(cols, trigger.newRow.slice());
    vals[tv.oldRec.slot] = trigger.oldRow === null ? nullRow(cols) : new RecordValue(cols, trigger.oldRow.slice());
    vals[tv.name.slot] = trigger.name;
    vals[tv.when.slot] = trigger.when;
    vals[tv.level.slot] = trigger.level;
    vals[tv.op.slot] = trigger.op;
    vals[tv.tableName.slot] = trigger.tableName;
    vals[tv.relName.slot] = trigger.tableName;
    vals[tv.tableSchema.slot] = trigger.tableSchema;
    vals[tv.nargs.slot] = trigger.args.length;
    // TG_ARGV subscripts start at 0 in PostgreSQL.
    vals[tv.argv.slot] = trigger.args.length === 0 ? new SqlArray([]) : new SqlArray(trigger.args.slice(), [trigger.args.length], [0]);
    const r = execBlock(f, this.info.ast.block);
    if (r !== RETURN) {
      throw errorWithCode('2F005', 'control reached end of trigger procedure without RETURN', {
        where: `PL/pgSQL function ${this.info.signature}`,
      });
    }
    const ret = f.returnValue;
    if (ret === null || (ret instanceof RecordValue && ret.isNull)) return null;
    if (!(ret instanceof RecordValue)) throw new DbError('datatype_mismatch', 'trigger function can only return NEW, OLD or NULL');
    // The returned row must have the table's shape (RETURN of a record built elsewhere is converted).
    if (ret.fields === cols) return ret.values;
    if (ret.values.length !== cols.length) {
      throw new DbError('datatype_mismatch', 'returned row structure does not match the structure of the triggering table');
    }
    return cols.map((c, i) => coerceValue(ret.values[i] ?? null, ret.fields[i]!.type, c.type, host.types));
  }

  dispose(): void {
    this.caches = new WeakMap();
    this.lastHost = null;
    this.lastCache = null;
  }
}

function nullRow(cols: TriggerCall['columns']): RecordValue {
  return new RecordValue(cols, newRow(cols.length), true);
}

/** Looks up %TYPE, %ROWTYPE and non-built-in type names through the host (first call). */
function resolveTypes(ast: FunctionAst, host: RoutineHost): void {
  for (const v of ast.vars) resolveVar(v, host);
}

function resolveVar(v: VarDef, host: RoutineHost): void {
  const spec = v.spec;
  switch (spec.k) {
    case 'type':
    case 'record':
      return;
    case 'named':
      if (spec.text === '' || v.type !== null) return;
      v.type = host.query(`SELECT NULL::${spec.text}`).fields[0]!.type;
      return;
    case 'percent_type': {
      if (v.type !== null) return;
      if (spec.variable !== null) {
        resolveVar(spec.variable, host);
        v.type = spec.variable.type;
        if (v.type === null) {
          throw new DbError('feature_not_supported', `%TYPE of record variable "${spec.variable.name}" is not supported`);
        }
        return;
      }
      const dot = spec.text.lastIndexOf('.');
      if (dot < 0) throw new DbError('undefined_object', `variable "${spec.text}" does not exist`);
      const res = host.query(`SELECT ${spec.text.slice(dot + 1)} FROM ${spec.text.slice(0, dot)} LIMIT 0`);
      v.type = res.fields[0]!.type;
      return;
    }
    case 'rowtype':
      if (v.rowFields !== null) return;
      v.rowFields = host.query(`SELECT * FROM ${spec.table} LIMIT 0`).fields;
      return;
  }
}
