/**
 * Where the CLI writes, and the display settings shared by the one-shot runner, the shell and the
 * meta-commands. Results go to `out` (stdout), diagnostics (errors, notices, "Timing is on.") to
 * `err` (stderr), as psql does, so `oxibase sql -c ... > file` captures only data.
 *
 * Invariant: nothing under src/cli/ except main.ts touches process.stdout/stderr; everything else
 * writes through an Output, which tests replace with a buffer.
 */

export type OutputFormat = 'table' | 'csv' | 'json';

export const outputFormats: readonly OutputFormat[] = ['table', 'csv', 'json'];

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

/** Mutable display settings: \timing, \x and \pset change them during a session. */
export interface ShellSettings {
  format: OutputFormat;
  /** \timing: print `Time: 1.234 ms` after each statement. */
  timing: boolean;
  /** \x: one `column | value` block per row instead of a table. */
  expanded: boolean;
  /** --echo: print each statement before running it. */
  echo: boolean;
  /** --quiet: no command tags (`INSERT 0 1`) or informational messages. */
  quiet: boolean;
  /** \pset null: how NULL prints in tables. */
  nullDisplay: string;
}

export function defaultSettings(overrides: Partial<ShellSettings> = {}): ShellSettings {
  return {
    format: 'table', timing: false, expanded: false, echo: false, quiet: false, nullDisplay: '',
    ...overrides,
  };
}

/** An Output that keeps everything in memory (tests, and capturing output of \i in tests). */
export interface BufferOutput extends Output {
  readonly stdout: string;
  readonly stderr: string;
  /** Both streams interleaved in write order. */
  readonly combined: string;
}

export function createBufferOutput(): BufferOutput {
  let stdout = '';
  let stderr = '';
  let combined = '';
  return {
    out(text) { stdout += text; combined += text; },
    err(text) { stderr += text; combined += text; },
    get stdout() { return stdout; },
    get stderr() { return stderr; },
    get combined() { return combined; },
  };
}
