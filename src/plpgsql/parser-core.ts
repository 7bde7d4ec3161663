/**
 * Parser state shared by the block and statement parsers: the token cursor, the namespace, and
 * helpers that cut SQL expressions and assignment targets out of the token stream.
 */
import { Tok } from '../sql/index.ts';
import type { SqlExpr, Target, VarDef } from './ast.ts';
import type { Namespace } from './namespace.ts';
import { buildFragment, scanUntil } from './sql-frag.ts';
import type { Tokens } from './tokens.ts';

export class Parser {
  readonly t: Tokens;
  readonly ns: Namespace;
  readonly isProcedure: boolean;
  readonly isTrigger: boolean;
  readonly returnsSet: boolean;
  /** A scalar RETURN value is expected (not void, no OUT columns, not a trigger). */
  readonly returnsValue: boolean;
  /** Function nesting of EXCEPTION handlers (RAISE; and GET STACKED need one). */
  handlerDepth = 0;

  constructor(t: Tokens, ns: Namespace, flags: { isProcedure: boolean; isTrigger: boolean; returnsSet: boolean; returnsValue: boolean }) {
    this.t = t;
    this.ns = ns;
    this.isProcedure = flags.isProcedure;
    this.isTrigger = flags.isTrigger;
    this.returnsSet = flags.returnsSet;
    this.returnsValue = flags.returnsValue;
  }

  /** An expression ending before the first depth-0 token satisfying `stop`; the cursor moves onto it. */
  exprUntil(stop: (i: number) => boolean): SqlExpr {
    const t = this.t;
    const from = t.pos;
    const end = scanUntil(t, from, stop);
    t.pos = end;
    return buildFragment(t, this.ns, from, end, { prefix: 'SELECT ' });
  }

  /** An expression terminated by one of the keywords (or `;` when `semi`). */
  exprBefore(keywords: readonly string[], semi = false): SqlExpr {
    const t = this.t;
    return this.exprUntil((i) => (semi && t.isPunct(';', i)) || (t.type(i) === Tok.Ident && keywords.includes(t.value(i))));
  }

  /** An expression up to `;`, which is consumed. */
  exprToSemi(): SqlExpr {
    const e = this.exprUntil((i) => this.t.isPunct(';', i));
    this.t.pos++;
    return e;
  }

  /** A variable named at the cursor (possibly `label.var`), or an error naming it. */
  variable(): VarDef {
    const t = this.t;
    const at = t.pos;
    const name = t.expectIdent();
    if (t.isPunct('.') && t.isIdent(t.pos + 1) && this.ns.isLabel(name)) {
      const q = this.ns.lookupQualified(name, t.value(t.pos + 1));
      if (q !== null) {
        t.pos += 2;
        return q;
      }
    }
    const v = this.ns.lookup(name);
    if (v === null) throw t.error(`"${t.text.slice(t.start(at), t.end(at))}" is not a known variable`, at);
    return v;
  }

  /** An assignment / INTO target: a variable or `record.field`. */
  target(): Target {
    const t = this.t;
    const at = t.pos;
    const v = this.variable();
    if (v.kind === 'record' && t.isPunct('.') && t.isIdent(t.pos + 1)) {
      t.pos++;
      const field = t.expectIdent();
      this.checkAssignable(v, at);
      return { k: 'field', v, field };
    }
    this.checkAssignable(v, at);
    if (t.isPunct('[') && v.kind === 'scalar') {
      t.pos++;
      const index = this.exprUntil((i) => t.isPunct(']', i));
      t.pos++;
      if (t.isPunct('[')) throw t.error('assignment to elements of multidimensional arrays is not supported');
      return { k: 'elem', v, index };
    }
    return { k: 'var', v };
  }

  checkAssignable(v: VarDef, at: number): void {
    if (v.constant) throw this.t.error(`variable "${v.name}" is declared CONSTANT`, at);
  }

  /** Comma-separated targets (INTO a, b / FOR a, b IN). */
  targets(): Target[] {
    const out = [this.target()];
    while (this.t.acceptPunct(',')) out.push(this.target());
    return out;
  }

  /** Optional `<<label>>`. */
  label(): string | null {
    const t = this.t;
    if (!t.isPunct('<<')) return null;
    t.pos++;
    const name = t.expectIdent();
    t.expectPunct('>>');
    return name;
  }

  /** `END [label]` checks: a label after END must match the block's. */
  endLabel(label: string | null): void {
    const t = this.t;
    if (t.isIdent() && !t.isPunct(';')) {
      const at = t.pos;
      const name = t.expectIdent();
      if (label === null || name !== label) throw t.error(`end label "${name}" differs from block's label "${label ?? ''}"`, at);
    }
  }
}
