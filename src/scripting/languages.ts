/**
 * Registers the languages Oxibase ships. Importing this module (the engine does, once) makes them
 * available to CREATE FUNCTION / DO.
 */
import { registerLanguage } from './registry.ts';
import { sqlLanguage } from './sql-language.ts';
import { plpgsqlLanguage } from '../plpgsql/index.ts';
import { builtinLanguages } from './languages-builtin.ts';

registerLanguage(sqlLanguage);
registerLanguage(plpgsqlLanguage);
for (const language of builtinLanguages) registerLanguage(language);
