/**
 * Compile-time namespace: the stack of blocks with their labels and variables, as in
 * PostgreSQL's pl_funcs.c (plpgsql_ns_*). Inner declarations shadow outer ones; `label.name`
 * reaches a variable of a specific enclosing block (the function's own name labels the outermost
 * one, so `f.x` names argument x of function f).
 *
 * Also hands out frame slots and SqlExpr ids, both dense from 0.
 */
import type { CursorDecl, TypeSpec, VarDef, SqlExpr } from './ast.ts';
import type { SqlType } from '../types/sql-type.ts';

interface Scope {
  readonly label: string | null;
  readonly vars: Map<string, VarDef>;
  /** Loop labels live in the namespace too (EXIT label must name an enclosing one). */
  readonly isLoop: boolean;
}

export interface VarInit {
  readonly name: string;
  readonly kind: 'scalar' | 'record';
  readonly spec: TypeSpec;
  readonly constant?: boolean;
  readonly notNull?: boolean;
  readonly defaultExpr?: SqlExpr | null;
  readonly line: number;
  readonly cursor?: CursorDecl | null;
}

export class Namespace {
  private readonly scopes: Scope[] = [];
  readonly vars: VarDef[] = [];
  private exprIds = 0;

  push(label: string | null, isLoop = false): void {
    this.scopes.push({ label, vars: new Map(), isLoop });
  }

  pop(): void {
    this.scopes.pop();
  }

  nextExprId(): number {
    return this.exprIds++;
  }

  get exprCount(): number {
    return this.exprIds;
  }

  /** Declares a variable in the innermost scope. */
  declare(init: VarInit): VarDef {
    const spec = init.spec;
    const type: SqlType | null = spec.k === 'type' ? spec.type : null;
    const v: VarDef = {
      slot: this.vars.length, name: init.name, kind: init.kind, spec, type, rowFields: null,
      constant: init.constant ?? false, notNull: init.notNull ?? false, defaultExpr: init.defaultExpr ?? null,
      line: init.line, cursor: init.cursor ?? null,
    };
    this.vars.push(v);
    this.scopes[this.scopes.length - 1]!.vars.set(init.name, v);
    return v;
  }

  /** Makes an existing variable visible under another name (ALIAS FOR, $n). */
  alias(name: string, v: VarDef): void {
    this.scopes[this.scopes.length - 1]!.vars.set(name, v);
  }

  /** Whether `name` is declared in the innermost scope itself (duplicate declarations). */
  declaredHere(name: string): boolean {
    return this.scopes[this.scopes.length - 1]!.vars.has(name);
  }

  lookup(name: string): VarDef | null {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const v = this.scopes[i]!.vars.get(name);
      if (v !== undefined) return v;
    }
    return null;
  }

  /** `label.name`: a variable of the block labelled `label`. */
  lookupQualified(label: string, name: string): VarDef | null {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const s = this.scopes[i]!;
      if (s.label === label) return s.vars.get(name) ?? null;
    }
    return null;
  }

  isLabel(name: string): boolean {
    return this.scopes.some((s) => s.label === name);
  }

  /** Whether an EXIT/CONTINUE label names an enclosing block or loop. */
  hasLabel(label: string, loopOnly: boolean): boolean {
    return this.scopes.some((s) => s.label === label && (!loopOnly || s.isLoop));
  }

  inLoop(): boolean {
    return this.scopes.some((s) => s.isLoop);
  }
}
