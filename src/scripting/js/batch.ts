/**
 * Batched calls into a QuickJS guest: one boundary crossing for a whole batch of argument rows.
 * Arguments travel column by column: numeric and boolean columns as a Float64Array (plus a
 * null mask only when the column has NULLs), everything else as a JSON array. A guest loop
 * generated for the routine's signature calls the function once per row; numeric results come
 * back as one Float64Array, anything else as JSON. The loop records the current row in a shared
 * Int32Array so the CPU limit applies per row, not per batch (sandbox.ts reads it).
 */
import type { QuickJSHandle } from 'quickjs-emscripten';
import { Oid, type SqlType } from '../../types/sql-type.ts';
import type { TypeContext } from '../../types/context.ts';
import type { ToScript } from '../values.ts';
import { encodePlain, encodeTagged } from './codec.ts';
import type { JsSandbox } from './sandbox.ts';

/** How a column of arguments is packed: f = Float64Array, b = booleans as 0/1, j/t = JSON. */
type ColumnKind = 'f' | 'b' | 'j' | 't';

function columnKind(t: SqlType): ColumnKind {
  if (t.elem !== null) return 't';
  switch (t.oid) {
    case Oid.int2: case Oid.int4: case Oid.float4: case Oid.float8: case Oid.oid: case Oid.numeric:
      return 'f';
    case Oid.bool:
      return 'b';
    case Oid.text: case Oid.varchar: case Oid.bpchar: case Oid.name: case Oid.uuid: case Oid.unknown:
      return 'j';
    default:
      return 't';
  }
}

/** Guest source of the batch loop for these column kinds. */
function batchSource(kinds: readonly ColumnKind[], numericResult: boolean): string {
  const params: string[] = [];
  const setup: string[] = [];
  const args: string[] = [];
  kinds.forEach((k, c) => {
    if (k === 'f' || k === 'b') {
      params.push(`c${c}`, `m${c}`);
      setup.push(`const v${c} = new Float64Array(c${c}), k${c} = m${c} === null ? null : new Uint8Array(m${c});`);
      const val = k === 'b' ? `v${c}[i] === 1` : `v${c}[i]`;
      args.push(`(k${c} !== null && k${c}[i] === 1 ? null : ${val})`);
    } else {
      params.push(`c${c}`);
      setup.push(`const v${c} = dec(c${c});`);
      args.push(`v${c}[i]`);
    }
  });
  const loop = numericResult
    ? `const out = new Float64Array(n); let other = null;
      for (let i = 0; i < n; i++) {
        prog[0] = i;
        const r = fn(${args.join(', ')});
        if (typeof r === 'number') out[i] = r;
        else { if (other === null) other = []; other.push(i, r === undefined ? null : r); }
      }
      if (other === null) return out.buffer;
      const res = Array.from(out);
      for (let j = 0; j < other.length; j += 2) res[other[j]] = other[j + 1];
      return '\\u0002' + enc(res);`
    : `const res = new Array(n); let plain = true;
      for (let i = 0; i < n; i++) {
        prog[0] = i;
        const r = fn(${args.join(', ')});
        res[i] = r === undefined ? null : r;
        const t = typeof r;
        if (plain && !(t === 'string' || t === 'boolean' || r === null || r === undefined
          || (t === 'number' && isFinite(r)))) plain = false;
      }
      return '\\u0002' + (plain ? JSON.stringify(res) : enc(res));`;
  return `(function (fn, dec, enc, describe, prog) {
    return function (n${params.map((p) => `, ${p}`).join('')}) {
      try {
        ${setup.join('\n        ')}
        ${loop}
      } catch (e) { return describe(e); }
    };
  })`;
}

/** A routine's batch entry point in its sandbox. */
export class BatchCaller {
  private readonly kinds: readonly ColumnKind[];
  private readonly fnHandle: QuickJSHandle;
  private readonly sandbox: JsSandbox;
  private readonly toScript: readonly ToScript[];
  private readonly numericResult: boolean;

  constructor(sandbox: JsSandbox, fn: QuickJSHandle, argTypes: readonly SqlType[], toScript: readonly ToScript[], numericResult: boolean) {
    this.sandbox = sandbox;
    this.kinds = argTypes.map(columnKind);
    this.toScript = toScript;
    this.numericResult = numericResult;
    this.fnHandle = sandbox.instantiate(batchSource(this.kinds, numericResult), '<oxibase batch>', fn);
  }

  /** Packs the argument columns as guest handles (caller disposes them). */
  pack(argRows: readonly (readonly unknown[])[], types: TypeContext): QuickJSHandle[] {
    const ctx = this.sandbox.ctx;
    const n = argRows.length;
    const out: QuickJSHandle[] = [ctx.newNumber(n)];
    this.kinds.forEach((k, c) => {
      const conv = this.toScript[c]!;
      if (k === 'f' || k === 'b') {
        const vals = new Float64Array(n);
        let mask: Uint8Array | null = null;
        for (let i = 0; i < n; i++) {
          const v = argRows[i]![c];
          if (v === null || v === undefined) {
            mask ??= new Uint8Array(n);
            mask[i] = 1;
          } else {
            vals[i] = k === 'b' ? (v === true ? 1 : 0) : (conv(v, types) as number);
          }
        }
        out.push(ctx.newArrayBuffer(vals.buffer));
        out.push(mask === null ? ctx.null : ctx.newArrayBuffer(mask.buffer));
      } else {
        const col = new Array<unknown>(n);
        for (let i = 0; i < n; i++) {
          const v = argRows[i]![c];
          col[i] = v === null || v === undefined ? null : conv(v, types);
        }
        out.push(ctx.newString(k === 'j' ? encodePlain(col) : encodeTagged(col)));
      }
    });
    return out;
  }

  get entry(): QuickJSHandle {
    return this.fnHandle;
  }

  get numeric(): boolean {
    return this.numericResult;
  }

  dispose(): void {
    this.fnHandle.dispose();
  }
}
