/**
 * LANGUAGE python (or py): trusted, sandboxed CPython (Pyodide) in a worker thread, started on
 * the first compile. PostgreSQL's untrusted `plpython3u` name is deliberately not claimed.
 */
import type { CompiledRoutine, LanguageHandler, RoutineSource } from '../language.ts';
import { PythonRoutine } from './python-routine.ts';

export const pythonLanguage: LanguageHandler = {
  names: ['python', 'py'],
  trusted: true,
  compile(source: RoutineSource): CompiledRoutine {
    return new PythonRoutine(source);
  },
};
