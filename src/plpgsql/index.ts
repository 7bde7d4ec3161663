/**
 * PL/pgSQL: PostgreSQL's procedural language, as a LanguageHandler (src/scripting/language.ts).
 * Bodies are parsed once into a syntax tree with variables resolved to frame slots; SQL inside
 * them runs through the host as prepared statements, cached per host.
 */
import type { CompiledRoutine, LanguageHandler, RoutineSource } from '../scripting/language.ts';
import { PlpgsqlRoutine } from './routine.ts';

export const plpgsqlLanguage: LanguageHandler = {
  names: ['plpgsql'],
  trusted: true,
  compile(source: RoutineSource): CompiledRoutine {
    return new PlpgsqlRoutine(source);
  },
};

export { parseFunction } from './parser.ts';
export type { TransactionControlHost } from './statements.ts';
