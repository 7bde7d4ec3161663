/**
 * pg_catalog relations describing built-in objects: pg_type (from src/types/sql-type.ts), pg_proc
 * (from the function registry), pg_am, pg_collation and the relations that are always empty
 * here (no inheritance, extensions, enums, ranges, dependencies tracked yet).
 */
import { allTypeInfos, typeOf, type ArgTypeLike } from './type-helpers.ts';
import { T, cols, arr, PG_CATALOG_OID, SUPERUSER_OID, type SystemRelation } from './sys-relation.ts';
import { procEntries, procName } from './reg-names.ts';
import { userProcRows } from './pg-routines.ts';

const IO_NAMES: Record<string, string> = { bpchar: 'bpchar', varchar: 'varchar' };

export const pgType: SystemRelation = {
  schema: 'pg_catalog', name: 'pg_type',
  columns: cols([
    ['oid', T.oid], ['typname', T.name], ['typnamespace', T.oid], ['typowner', T.oid], ['typlen', T.int2],
    ['typbyval', T.bool], ['typtype', T.char], ['typcategory', T.char], ['typispreferred', T.bool],
    ['typisdefined', T.bool], ['typdelim', T.char], ['typrelid', T.oid], ['typsubscript', T.regproc],
    ['typelem', T.oid], ['typarray', T.oid], ['typinput', T.regproc], ['typoutput', T.regproc],
    ['typreceive', T.regproc], ['typsend', T.regproc], ['typmodin', T.regproc], ['typmodout', T.regproc],
    ['typanalyze', T.regproc], ['typalign', T.char], ['typstorage', T.char], ['typnotnull', T.bool],
    ['typbasetype', T.oid], ['typtypmod', T.int4], ['typndims', T.int4], ['typcollation', T.oid],
    ['typdefaultbin', T.text], ['typdefault', T.text], ['typacl', T.textArr],
  ]),
  rows: () => allTypeInfos().map((t) => {
    const isArray = t.category === 'A';
    const base = isArray ? 'array' : IO_NAMES[t.typname] ?? t.typname;
    const len = t.len === -2 ? -2 : t.len;
    return [
      t.oid, t.typname, PG_CATALOG_OID, SUPERUSER_OID, len, len > 0 && len <= 8, t.category === 'P' ? 'p' : 'b',
      (t.category as string) === 'Z' ? 'Z' : t.category, t.preferred, true, ',', 0, isArray ? 'array_subscript_handler' : '-',
      t.elemOid, t.arrayOid, `${base}_in`, `${base}_out`, `${base}_recv`, `${base}_send`, '-', '-', '-',
      len === 8 ? 'd' : len === 2 ? 's' : len === 1 ? 'c' : 'i', len < 0 ? 'x' : 'p', false, 0, -1, isArray ? 1 : 0,
      t.category === 'S' ? 100 : 0, null, null, null,
    ];
  }),
};

function argOid(a: ArgTypeLike): number {
  if (typeof a !== 'string') return a.oid;
  const map: Record<string, number> = {
    anyelement: 2283, anyarray: 2277, anynonarray: 2776, any: 2276, anycompatible: 5077, anycompatiblearray: 5078,
  };
  return map[a] ?? 2276;
}

/** Function oids are synthetic and stable for a process: registration order from 100000. */
export const pgProc: SystemRelation = {
  schema: 'pg_catalog', name: 'pg_proc',
  columns: cols([
    ['oid', T.oid], ['proname', T.name], ['pronamespace', T.oid], ['proowner', T.oid], ['prolang', T.oid],
    ['procost', T.float4], ['prorows', T.float4], ['provariadic', T.oid], ['prosupport', T.regproc],
    ['prokind', T.char], ['prosecdef', T.bool], ['proleakproof', T.bool], ['proisstrict', T.bool],
    ['proretset', T.bool], ['provolatile', T.char], ['proparallel', T.char], ['pronargs', T.int2],
    ['pronargdefaults', T.int2], ['prorettype', T.oid], ['proargtypes', T.oidv], ['proallargtypes', T.oidv],
    ['proargmodes', T.textArr], ['proargnames', T.textArr], ['proargdefaults', T.text], ['protrftypes', T.oidv],
    ['prosrc', T.text], ['probin', T.text], ['prosqlbody', T.text], ['proconfig', T.textArr], ['proacl', T.textArr],
  ]),
  rows: ({ registry, catalog }) => {
    const out: unknown[][] = userProcRows(catalog);
    for (const { oid, def: d } of procEntries(registry).entries) {
      {
        const args = d.args.map(argOid);
        let ret = 2276;
        if (d.kind === 'table') ret = 2249;
        else if (typeof d.returns !== 'function') ret = d.returns.oid;
        else {
          try { ret = d.returns(d.args.map((a) => (typeof a === 'string' ? typeOf(25) : a))).oid; } catch { ret = 2283; }
        }
        const kind = d.kind === 'aggregate' ? 'a' : 'f';
        const vol = d.kind === 'aggregate' ? 'i' : d.volatility === 'immutable' ? 'i' : d.volatility === 'stable' ? 's' : 'v';
        const named = procName(d);
        const nsp = named.schema === 'pg_catalog' ? PG_CATALOG_OID : catalog.schemas.get(named.schema)?.oid ?? PG_CATALOG_OID;
        out.push([
          oid, named.name, nsp, SUPERUSER_OID, 12, 1, d.kind === 'table' ? 1000 : 0, d.variadic ? args[args.length - 1] ?? 0 : 0,
          '-', kind, false, false, d.strict, d.kind === 'table', vol, 's', args.length, args.length - d.minArgs, ret,
          arr(args), null, null, 'argNames' in d && d.argNames ? arr(d.argNames) : null, null, null, named.name, null, null,
          null, null,
        ]);
      }
    }
    return out;
  },
};

export const pgAm: SystemRelation = {
  schema: 'pg_catalog', name: 'pg_am',
  columns: cols([['oid', T.oid], ['amname', T.name], ['amhandler', T.regproc], ['amtype', T.char]]),
  rows: () => [[2, 'heap', 'heap_tableam_handler', 't'], [403, 'btree', 'bthandler', 'i'], [405, 'hash', 'hashhandler', 'i'], [9403, 'bitmap', 'bmhandler', 'i']],
};

export const pgCollation: SystemRelation = {
  schema: 'pg_catalog', name: 'pg_collation',
  columns: cols([
    ['oid', T.oid], ['collname', T.name], ['collnamespace', T.oid], ['collowner', T.oid], ['collprovider', T.char],
    ['collisdeterministic', T.bool], ['collencoding', T.int4], ['collcollate', T.text], ['collctype', T.text],
    ['colliculocale', T.text], ['collversion', T.text],
  ]),
  rows: () => [
    [100, 'default', PG_CATALOG_OID, SUPERUSER_OID, 'd', true, -1, null, null, null, null],
    [950, 'C', PG_CATALOG_OID, SUPERUSER_OID, 'c', true, -1, 'C', 'C', null, null],
    [951, 'POSIX', PG_CATALOG_OID, SUPERUSER_OID, 'c', true, -1, 'POSIX', 'POSIX', null, null],
  ],
};

function empty(name: string, spec: readonly [string, typeof T.oid][]): SystemRelation {
  return { schema: 'pg_catalog', name, columns: cols(spec), rows: () => [] };
}

export const emptyRelations: SystemRelation[] = [
  empty('pg_inherits', [['inhrelid', T.oid], ['inhparent', T.oid], ['inhseqno', T.int4], ['inhdetachpending', T.bool]]),
  empty('pg_depend', [['classid', T.oid], ['objid', T.oid], ['objsubid', T.int4], ['refclassid', T.oid],
    ['refobjid', T.oid], ['refobjsubid', T.int4], ['deptype', T.char]]),
  empty('pg_extension', [['oid', T.oid], ['extname', T.name], ['extowner', T.oid], ['extnamespace', T.oid],
    ['extrelocatable', T.bool], ['extversion', T.text], ['extconfig', T.oidv], ['extcondition', T.textArr]]),
  empty('pg_enum', [['oid', T.oid], ['enumtypid', T.oid], ['enumsortorder', T.float4], ['enumlabel', T.name]]),
  empty('pg_range', [['rngtypid', T.oid], ['rngsubtype', T.oid], ['rngmultitypid', T.oid], ['rngcollation', T.oid],
    ['rngsubopc', T.oid], ['rngcanonical', T.regproc], ['rngsubdiff', T.regproc]]),
  empty('pg_trigger', [['oid', T.oid], ['tgrelid', T.oid], ['tgparentid', T.oid], ['tgname', T.name],
    ['tgfoid', T.oid], ['tgtype', T.int2], ['tgenabled', T.char], ['tgisinternal', T.bool], ['tgconstrrelid', T.oid],
    ['tgconstrindid', T.oid], ['tgconstraint', T.oid], ['tgdeferrable', T.bool], ['tginitdeferred', T.bool],
    ['tgnargs', T.int2], ['tgattr', T.int2v], ['tgqual', T.text]]),
  empty('pg_rewrite', [['oid', T.oid], ['rulename', T.name], ['ev_class', T.oid], ['ev_type', T.char],
    ['ev_enabled', T.char], ['is_instead', T.bool], ['ev_qual', T.text], ['ev_action', T.text]]),
  empty('pg_policy', [['oid', T.oid], ['polname', T.name], ['polrelid', T.oid], ['polcmd', T.char],
    ['polpermissive', T.bool], ['polroles', T.oidv], ['polqual', T.text], ['polwithcheck', T.text]]),
  empty('pg_statistic_ext', [['oid', T.oid], ['stxrelid', T.oid], ['stxname', T.name], ['stxnamespace', T.oid],
    ['stxowner', T.oid], ['stxstattarget', T.int4], ['stxkeys', T.int2v], ['stxkind', T.textArr], ['stxexprs', T.text]]),
  empty('pg_publication', [['oid', T.oid], ['pubname', T.name], ['pubowner', T.oid], ['puballtables', T.bool],
    ['pubinsert', T.bool], ['pubupdate', T.bool], ['pubdelete', T.bool], ['pubtruncate', T.bool], ['pubviaroot', T.bool]]),
  empty('pg_publication_rel', [['oid', T.oid], ['prpubid', T.oid], ['prrelid', T.oid], ['prqual', T.text], ['prattrs', T.int2v]]),
  empty('pg_publication_namespace', [['oid', T.oid], ['pnpubid', T.oid], ['pnnspid', T.oid]]),
  empty('pg_foreign_table', [['ftrelid', T.oid], ['ftserver', T.oid], ['ftoptions', T.textArr]]),
  empty('pg_partitioned_table', [['partrelid', T.oid], ['partstrat', T.char], ['partnatts', T.int2],
    ['partdefid', T.oid], ['partattrs', T.int2v], ['partclass', T.oidv], ['partcollation', T.oidv], ['partexprs', T.text]]),
];
void arr;
