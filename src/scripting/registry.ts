/**
 * The language registry: LANGUAGE names to handlers. Handlers are stateless compilers (a compiled
 * routine holds the per-body state), so one process-wide table serves every Database, like the
 * built-in function registry. src/scripting/languages.ts registers the shipped languages.
 */
import type { LanguageHandler } from './language.ts';

const handlers = new Map<string, LanguageHandler>();

/** Registers a handler under every name it lists (lower case); a later registration wins. */
export function registerLanguage(handler: LanguageHandler): void {
  for (const name of handler.names) handlers.set(name.toLowerCase(), handler);
}

/** The handler for a LANGUAGE name (case-insensitive), or undefined. */
export function findLanguage(name: string): LanguageHandler | undefined {
  return handlers.get(name.toLowerCase());
}

/** Canonical names of the registered languages (pg_language). */
export function languageNames(): string[] {
  const out = new Set<string>();
  for (const h of handlers.values()) out.add(h.names[0]!);
  return [...out].sort();
}
