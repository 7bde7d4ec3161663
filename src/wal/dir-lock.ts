/**
 * The directory lock: `LOCK` in the data directory holds the pid of the process that has the
 * database open for writing. A second opener gets 55006 naming that pid; a lock left by a process
 * that no longer runs (a crash) is taken over.
 *
 * Invariants:
 *  1. Creation is exclusive (`wx`), so two openers racing cannot both win.
 *  2. A lock naming our own pid is held by this process (another Database in it): not stale.
 */
import { DbError } from '../errors/index.ts';
import type { Env } from '../env/index.ts';

export const LOCK_FILE = 'LOCK';

function isAlive(env: Env, pid: number): boolean {
  if (pid === env.process.pid) return true;
  const probe = env.process.isProcessAlive;
  // Without a probe we cannot tell a crash from a live holder: assume alive (never steal).
  return probe === undefined ? true : probe(pid);
}

export class DirLock {
  private readonly env: Env;
  private readonly path: string;
  private held = false;

  constructor(env: Env, dir: string) {
    this.env = env;
    this.path = `${dir}/${LOCK_FILE}`;
  }

  async acquire(): Promise<void> {
    const fs = this.env.fs;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fh = await fs.open(this.path, 'wx');
        const text = new TextEncoder().encode(`${this.env.process.pid}\n`);
        await fh.write(text, 0, text.length, 0);
        await fh.sync();
        await fh.close();
        this.held = true;
        return;
      } catch (e) {
        if ((e as { code?: string }).code !== 'EEXIST') throw e;
      }
      let pid = NaN;
      try {
        pid = Number(new TextDecoder().decode(await fs.readFile(this.path)).trim());
      } catch {
        continue; // removed meanwhile: retry
      }
      if (Number.isSafeInteger(pid) && pid > 0 && isAlive(this.env, pid)) {
        throw new DbError('object_in_use',
          `database directory is locked by process ${pid}`,
          { detail: `Lock file: ${this.path}`, hint: 'Close the other process, or open another directory.' });
      }
      this.env.log('warn', `taking over stale lock ${this.path} (process ${Number.isNaN(pid) ? '?' : pid} is gone)`);
      await fs.unlink(this.path).catch(() => undefined);
    }
    throw new DbError('object_in_use', `could not lock ${this.path}`);
  }

  async release(): Promise<void> {
    if (!this.held) return;
    this.held = false;
    await this.env.fs.unlink(this.path).catch(() => undefined);
  }
}
