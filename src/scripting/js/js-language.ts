/**
 * The JavaScript and TypeScript language handlers (LANGUAGE js / javascript, ts / typescript):
 * trusted, every routine in its own QuickJS sandbox. TypeScript is stripped to JavaScript once,
 * at compile time, with positions preserved (typescript.ts).
 */
import type { CompiledRoutine, LanguageHandler, RoutineSource } from '../language.ts';
import { compileError } from '../errors.ts';
import { stripTypes, TypeScriptSyntaxError } from '../typescript.ts';
import { JsRoutine, guestSource } from './js-routine.ts';

export const javascriptLanguage: LanguageHandler = {
  names: ['js', 'javascript'],
  trusted: true,
  compile(source: RoutineSource): CompiledRoutine {
    return new JsRoutine(source, source.body, 'JavaScript');
  },
};

export const typescriptLanguage: LanguageHandler = {
  names: ['ts', 'typescript'],
  trusted: true,
  compile(source: RoutineSource): CompiledRoutine {
    // Strip the whole guest function so the body parses as a function body (top-level return),
    // then cut the body back out: strip mode keeps every character's position.
    const guest = guestSource(source, source.body);
    let js: string;
    try {
      js = stripTypes(guest.code);
    } catch (e) {
      if (!(e instanceof TypeScriptSyntaxError)) throw e;
      const p = e.position;
      const pos = p === null ? null
        : { line: p.line, column: Math.max(1, p.column - (p.line === 1 ? guest.headerColumns : 0)) };
      throw compileError('TypeScript', source.name, e.message, pos);
    }
    // Transform mode (enums, namespaces) reformats, so find the body by its first statement.
    const marker = 'var args = arguments;';
    const body = js.slice(js.indexOf(marker) + marker.length + 1, js.lastIndexOf('}'));
    return new JsRoutine(source, body.endsWith('\n') ? body.slice(0, -1) : body, 'TypeScript');
  },
};
