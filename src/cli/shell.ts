/**
 * The interactive shell (`oxibase sql` on a terminal): psql's prompts, multi-line statements,
 * meta-commands, history and Ctrl-C / Ctrl-D behaviour, over node:readline.
 *
 *   oxibase=>   ready for a new statement          oxibase->   statement continues
 *   oxibase'>   inside a '...' string (also " $ * ( for identifiers, dollar quotes, comments,
 *               open parentheses)                  oxibase=*>  inside a transaction block
 *   oxibase=!>  inside a failed transaction (only ROLLBACK helps)
 *
 * Ctrl-C drops the statement being typed and shows a fresh prompt; Ctrl-D (end of input) or \q
 * leaves. History: one entry per input line, bounded, loaded from and saved to a history file
 * through HistoryStore (the path is main.ts's business).
 *
 * Invariants: input lines are handled strictly one after another (a line typed or pasted while a
 * statement runs waits its turn); nothing here touches process/fs directly; streams come in.
 */
import { createInterface, type Interface } from 'node:readline';
import type { Session } from '../api/types.ts';
import type { Env } from '../env/index.ts';
import type { Runner } from './sql-runner.ts';
import { StatementSplitter } from './statement-splitter.ts';

/** Lines kept in the history file and in memory. */
export const historySizeMax = 1000;

export interface HistoryStore {
  /** Oldest first. */
  load(): Promise<string[]>;
  save(lines: readonly string[]): Promise<void>;
}

/** A history file: one entry per line, oldest first (like ~/.psql_history), bounded. */
export function fileHistory(env: Env, path: string, limit = historySizeMax): HistoryStore {
  return {
    async load() {
      try {
        const text = new TextDecoder().decode(await env.fs.readFile(path));
        return text.split('\n').filter((l) => l.trim() !== '').slice(-limit);
      } catch {
        return []; // first run: no file yet
      }
    },
    async save(lines) {
      const kept = lines.slice(-limit);
      await env.fs.writeFile(path, kept.length === 0 ? '' : `${kept.join('\n')}\n`);
    },
  };
}

export interface ShellOptions {
  readonly runner: Runner;
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
  /** Whether input/output are a terminal (line editing, Ctrl-C handling, echoed \q on Ctrl-D). */
  readonly terminal: boolean;
  readonly history: HistoryStore | null;
  /** Printed once before the first prompt. */
  readonly banner: string;
  /** The prompt's name part; psql shows the database name. */
  readonly promptName?: string;
}

/** psql's %x: transaction state in the prompt. */
function transactionMark(session: Session): string {
  switch (session.transactionStatus) {
    case 'in transaction': return '*';
    case 'in failed transaction': return '!';
    default: return '';
  }
}

export function promptFor(name: string, splitter: StatementSplitter, session: Session): string {
  return `${name}${splitter.promptState}${transactionMark(session)}> `;
}

/** Runs the shell until \q or end of input. Resolves with the exit status (always 0, as psql). */
export async function runShell(options: ShellOptions): Promise<number> {
  const { runner, output, terminal } = options;
  const name = options.promptName ?? 'oxibase';
  const splitter = new StatementSplitter();
  // History in readline is newest first; the file is oldest first.
  const loaded = options.history === null ? [] : await options.history.load();
  let history: string[] = [...loaded].reverse();

  const rl: Interface = createInterface({
    input: options.input,
    output,
    terminal,
    history: [...history],
    historySize: historySizeMax,
    removeHistoryDuplicates: false,
    tabSize: 4,
  });
  rl.on('history', (h: string[]) => { history = h; });

  output.write(options.banner);
  let busy = false;
  let quitting = false;
  // Set as soon as readline closes (end of input can come before the first prompt); prompting a
  // closed interface throws.
  let closedInput = false;
  rl.on('close', () => { closedInput = true; });
  const showPrompt = (): void => {
    if (quitting || closedInput) return;
    rl.setPrompt(promptFor(name, splitter, runner.session));
    rl.prompt();
  };

  const handleLine = async (line: string): Promise<void> => {
    if (quitting) return;
    busy = true;
    try {
      splitter.push(`${line}\n`);
      for (let item = splitter.next(); item !== null; item = splitter.next()) {
        const outcome = await runner.runItem(item, splitter, null);
        if (outcome === 'quit') { quitting = true; break; }
      }
    } finally {
      busy = false;
    }
    if (quitting) { if (!closedInput) rl.close(); } else showPrompt();
  };

  rl.on('SIGINT', () => {
    // A running statement cannot be cancelled (the Session API has no cancel); ignore the key.
    if (busy) return;
    splitter.reset();
    // readline's own clearLine (what node's REPL uses) ends the visible line and empties the
    // edit buffer; fall back to Ctrl-E Ctrl-U (erase the line) where it is missing.
    const clear = (rl as unknown as { clearLine?: () => void }).clearLine;
    if (typeof clear === 'function') clear.call(rl);
    else {
      rl.write(null, { ctrl: true, name: 'e' });
      rl.write(null, { ctrl: true, name: 'u' });
      output.write('\n');
    }
    showPrompt();
  });

  let queue: Promise<void> = Promise.resolve();
  const closed = new Promise<void>((resolve) => {
    rl.on('line', (line: string) => {
      queue = queue.then(() => handleLine(line)).catch((e: unknown) => {
        // The runner prints SQL errors itself; anything reaching here is a bug in the CLI.
        output.write(`oxibase: internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
        showPrompt();
      });
    });
    rl.on('close', () => {
      queue = queue.then(() => {
        if (!quitting && terminal) output.write('\\q\n'); // Ctrl-D: psql echoes \q
        quitting = true;
        resolve();
      });
    });
  });

  showPrompt();
  await closed;
  await queue;
  if (options.history !== null) {
    try {
      await options.history.save([...history].reverse());
    } catch (e) {
      output.write(`oxibase: could not save history: ${e instanceof Error ? e.message : String(e)}\n`);
    }
  }
  return 0;
}
