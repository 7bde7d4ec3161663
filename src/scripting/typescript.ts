/**
 * TypeScript bodies are turned into JavaScript once, when the routine is compiled, with Node's
 * built-in type stripper (node:module stripTypeScriptTypes, swc inside Node: no dependency, ~0.1
 * ms per body after a one-time ~150 ms warm-up). Strip mode replaces annotations with blanks, so
 * every line and column of the JavaScript is the one in the TypeScript source and run-time
 * stack positions need no source map. Syntax that needs code generation (enum, namespace,
 * parameter properties) falls back to transform mode; its positions are then approximate.
 * Type errors are not checked (no type checker runs inside the database).
 */
import { stripTypeScriptTypes } from 'node:module';
import type { BodyPosition } from './errors.ts';

/** A syntax error found while stripping: message and position in the stripped input. */
export class TypeScriptSyntaxError extends Error {
  readonly position: BodyPosition | null;

  constructor(message: string, position: BodyPosition | null) {
    super(message);
    this.position = position;
  }
}

/** Strips types from a complete TypeScript snippet; throws TypeScriptSyntaxError. */
export function stripTypes(code: string): string {
  try {
    return stripTypeScriptTypes(code, { mode: 'strip' });
  } catch (e) {
    if ((e as { code?: string }).code !== 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX') throw toSyntaxError(e);
  }
  try {
    return stripTypeScriptTypes(code, { mode: 'transform', sourceMap: false });
  } catch (e) {
    throw toSyntaxError(e);
  }
}

function toSyntaxError(e: unknown): TypeScriptSyntaxError {
  if (!(e instanceof Error)) return new TypeScriptSyntaxError(String(e), null);
  return new TypeScriptSyntaxError(e.message, errorPosition(e.stack ?? ''));
}

/**
 * Node reports the position only in the error's stack, as "<file>:<line>" followed by the source
 * lines and a caret line under the offending token.
 */
function errorPosition(stack: string): BodyPosition | null {
  const lines = stack.split('\n');
  const head = /:(\d+)$/.exec(lines[0] ?? '');
  if (head === null) return null;
  const line = Number(head[1]);
  for (const l of lines.slice(1)) {
    if (/^\s*\^+\s*$/.test(l)) return { line, column: l.indexOf('^') + 1 };
    if (/^\S*Error/.test(l)) break;
  }
  return { line, column: 1 };
}
