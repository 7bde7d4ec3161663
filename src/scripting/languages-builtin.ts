/**
 * The script languages Oxibase ships (JavaScript, TypeScript, Python), for the language registry
 * to register. Importing this module instantiates the QuickJS WebAssembly module (~25 ms, once
 * per process); Python's Pyodide is loaded lazily, on the first Python compile.
 */
import type { LanguageHandler } from './language.ts';
import { javascriptLanguage, typescriptLanguage } from './js/js-language.ts';
import { pythonLanguage } from './python/python-language.ts';

export const builtinLanguages: readonly LanguageHandler[] = [javascriptLanguage, typescriptLanguage, pythonLanguage];
