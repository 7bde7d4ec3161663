/**
 * Finds complete statements and backslash meta-commands in SQL text that arrives piece by piece
 * (typed lines, a script), the way psql's lexer does:
 *   - `;` ends a statement, except inside '...' / E'...' strings, "..." identifiers,
 *     $tag$...$tag$ dollar quotes, -- and (nested) /* *\/ comments, or parentheses;
 *   - a backslash outside those starts a meta-command that runs to the end of its line; the SQL
 *     typed before it on the line stays pending (so `select 1 \g` can send it);
 *   - whitespace and comments before a statement's first token are not part of its text, and a
 *     statement with no tokens (`;` alone, a comment) is dropped;
 *   - at end of input the unterminated rest is a final statement (psql sends it too).
 * Not modelled: psql variables (:name) and BEGIN ATOMIC ... END bodies.
 *
 * Pull interface: `push(text)` appends, `next()` returns the next complete item or null when more
 * input is needed; `end()` marks end of input. Scanning is resumable: a token that might continue
 * in the next chunk (a quote that could be doubled, `$tag` without its closing `$`, `-` before a
 * possible `-`) waits for more input, so any chunking gives the same items.
 *
 * Invariant: text handed out as items plus text dropped as whitespace/comments is exactly the
 * input (minus the `;` terminators and meta-command lines); `line` counts every newline consumed.
 */

export interface SqlItem {
  readonly kind: 'sql';
  /** The statement, without its `;` and without surrounding whitespace. */
  readonly text: string;
  /** 1-based input line where the statement ended (psql reports errors against this line). */
  readonly line: number;
}

export interface MetaItem {
  readonly kind: 'meta';
  /** The meta-command line from its backslash, e.g. `\d users`. */
  readonly text: string;
  readonly line: number;
  /** The incomplete statement typed before the meta-command (trimmed; '' when none). */
  readonly pendingSql: string;
}

export type SplitItem = SqlItem | MetaItem;

type LexState = 'normal' | 'quote' | 'escape-quote' | 'ident' | 'dollar' | 'block-comment' |
  'line-comment';

/** What psql's prompt shows in the position after the database name (%R). */
export type PromptState = '=' | '-' | "'" | '"' | '$' | '*' | '(';

function isIdentChar(ch: string): boolean {
  return /[A-Za-z0-9_$\u0080-\uffff]/.test(ch);
}

function isTagStart(ch: string): boolean {
  return /[A-Za-z_\u0080-\uffff]/.test(ch);
}

function isTagChar(ch: string): boolean {
  return /[A-Za-z0-9_\u0080-\uffff]/.test(ch);
}

export class StatementSplitter {
  private buf = '';
  /** Scan position in `buf`. Text before `stmtStart` has been handed out and can be dropped. */
  private pos = 0;
  private stmtStart = 0;
  /** Where the current statement's first token starts; -1 while it has none. */
  private contentStart = -1;
  private state: LexState = 'normal';
  private dollarTag = '';
  private commentDepth = 0;
  private parenDepth = 0;
  private ended = false;
  private lineNo = 1;
  private readonly ready: SplitItem[] = [];

  /** Appends input. */
  push(text: string): void {
    this.buf += text;
  }

  /** Marks end of input: pending text becomes a final statement. */
  end(): void {
    this.ended = true;
  }

  /** The next complete item, or null when more input is needed (or all is consumed). */
  next(): SplitItem | null {
    if (this.ready.length === 0) this.scan();
    return this.ready.shift() ?? null;
  }

  /** Current input line (1-based). */
  get line(): number {
    return this.lineNo;
  }

  /** True while a statement has been started but not ended (the prompt shows continuation). */
  get hasPending(): boolean {
    return this.contentStart >= 0 || this.state !== 'normal';
  }

  /** The pending statement text so far (for \p and for errors on incomplete input). */
  get pendingText(): string {
    return this.contentStart >= 0 ? this.buf.slice(this.contentStart, this.pos).trim() : '';
  }

  /** psql's %R: what kind of continuation the next line is. */
  get promptState(): PromptState {
    switch (this.state) {
      case 'quote': case 'escape-quote': return "'";
      case 'ident': return '"';
      case 'dollar': return '$';
      case 'block-comment': return '*';
      default: break;
    }
    if (this.parenDepth > 0) return '(';
    return this.contentStart >= 0 ? '-' : '=';
  }

  /**
   * Drops the pending (incomplete) statement but keeps unscanned input, for meta-commands that
   * consume or discard the query buffer (\g, \r).
   */
  discardPending(): void {
    this.stmtStart = this.pos;
    this.contentStart = -1;
    this.parenDepth = 0;
    this.state = 'normal';
  }

  /** Drops everything not yet handed out, scanned or not (Ctrl-C). Line counting continues. */
  reset(): void {
    this.buf = '';
    this.pos = 0;
    this.stmtStart = 0;
    this.contentStart = -1;
    this.state = 'normal';
    this.dollarTag = '';
    this.commentDepth = 0;
    this.parenDepth = 0;
    this.ready.length = 0;
  }

  private markContent(at: number): void {
    if (this.contentStart < 0) this.contentStart = at;
  }

  private emitStatement(end: number): void {
    if (this.contentStart >= 0) {
      this.ready.push({ kind: 'sql', text: this.buf.slice(this.contentStart, end).trim(), line: this.lineNo });
    }
    this.contentStart = -1;
    this.parenDepth = 0;
  }

  /** Scans until at least one item is ready or input runs out. */
  private scan(): void {
    const final = this.ended;
    const buf = (): string => this.buf;
    let i = this.pos;
    // `more(n)`: are n characters from i available? If not and input may continue, stop here.
    const avail = (n: number): boolean => i + n <= this.buf.length;
    scanning:
    while (i < this.buf.length && this.ready.length === 0) {
      const c = buf().charAt(i);
      switch (this.state) {
        case 'normal': {
          if (c === '\n') { this.lineNo++; i++; break; }
          if (c === ' ' || c === '\t' || c === '\r' || c === '\f') { i++; break; }
          if (c === '-' || c === '/') {
            if (!avail(2) && !final) break scanning;
            const d = buf().charAt(i + 1);
            if (c === '-' && d === '-') { this.state = 'line-comment'; i += 2; break; }
            if (c === '/' && d === '*') {
              this.state = 'block-comment'; this.commentDepth = 1; i += 2; break;
            }
            this.markContent(i); i++; break;
          }
          if (c === "'") {
            this.markContent(i);
            const prev = i > 0 ? buf().charAt(i - 1) : '';
            const before = i > 1 ? buf().charAt(i - 2) : '';
            const escape = (prev === 'e' || prev === 'E') && !isIdentChar(before) &&
              i - 1 >= this.stmtStart;
            this.state = escape ? 'escape-quote' : 'quote';
            i++; break;
          }
          if (c === '"') { this.markContent(i); this.state = 'ident'; i++; break; }
          if (c === '$') {
            const prev = i > this.stmtStart ? buf().charAt(i - 1) : '';
            this.markContent(i);
            if (prev !== '' && isIdentChar(prev)) { i++; break; } // part of an identifier: a$b
            let j = i + 1;
            if (j >= this.buf.length) {
              if (!final) break scanning;
              i++; break;
            }
            if (buf().charAt(j) !== '$') {
              if (!isTagStart(buf().charAt(j))) { i++; break; } // $1 parameter or operator
              while (j < this.buf.length && isTagChar(buf().charAt(j))) j++;
              if (j >= this.buf.length) {
                if (!final) break scanning;
                i++; break;
              }
              if (buf().charAt(j) !== '$') { i++; break; }
            }
            this.dollarTag = buf().slice(i, j + 1);
            this.state = 'dollar';
            i = j + 1; break;
          }
          if (c === '(') { this.markContent(i); this.parenDepth++; i++; break; }
          if (c === ')') {
            this.markContent(i);
            if (this.parenDepth > 0) this.parenDepth--;
            i++; break;
          }
          if (c === ';' && this.parenDepth === 0) {
            this.emitStatement(i);
            i++;
            this.stmtStart = i;
            break;
          }
          if (c === '\\') {
            const eol = buf().indexOf('\n', i);
            if (eol < 0 && !final) break scanning;
            const stop = eol < 0 ? this.buf.length : eol;
            const pendingSql = this.contentStart >= 0 ? buf().slice(this.contentStart, i).trim() : '';
            this.ready.push({ kind: 'meta', text: buf().slice(i, stop).trimEnd(), line: this.lineNo, pendingSql });
            // Cut the meta-command out of the buffer so it never becomes part of a statement.
            this.buf = buf().slice(0, i) + buf().slice(stop);
            break;
          }
          this.markContent(i); i++; break;
        }
        case 'line-comment': {
          if (c === '\n') { this.state = 'normal'; break; } // 'normal' counts the newline
          i++; break;
        }
        case 'block-comment': {
          if (c === '\n') { this.lineNo++; i++; break; }
          if (c === '*' || c === '/') {
            if (!avail(2) && !final) break scanning;
            const d = buf().charAt(i + 1);
            if (c === '*' && d === '/') {
              i += 2;
              if (--this.commentDepth === 0) this.state = 'normal';
              break;
            }
            if (c === '/' && d === '*') { this.commentDepth++; i += 2; break; }
          }
          i++; break;
        }
        case 'quote': case 'escape-quote': case 'ident': {
          if (c === '\n') { this.lineNo++; i++; break; }
          if (c === '\\' && this.state === 'escape-quote') {
            if (!avail(2) && !final) break scanning;
            if (buf().charAt(i + 1) === '\n') this.lineNo++;
            i += 2; break;
          }
          const close = this.state === 'ident' ? '"' : "'";
          if (c === close) {
            if (!avail(2) && !final) break scanning;
            if (buf().charAt(i + 1) === close) { i += 2; break; } // doubled: an escaped quote
            this.state = 'normal';
          }
          i++; break;
        }
        case 'dollar': {
          if (c === '\n') { this.lineNo++; i++; break; }
          if (c === '$') {
            const tag = this.dollarTag;
            if (buf().startsWith(tag, i)) { this.state = 'normal'; i += tag.length; break; }
            const rest = buf().slice(i);
            if (rest.length < tag.length && tag.startsWith(rest) && !final) break scanning;
          }
          i++; break;
        }
      }
    }
    this.pos = i;
    if (final && i >= this.buf.length && this.ready.length === 0 && this.contentStart >= 0) {
      // End of input: the unterminated rest is the last statement.
      const text = buf().slice(this.contentStart).trim();
      const trailing = buf().slice(this.contentStart).trimEnd().length;
      const afterText = buf().slice(this.contentStart + trailing);
      const newlinesAfter = (afterText.match(/\n/g) ?? []).length;
      this.ready.push({ kind: 'sql', text, line: this.lineNo - newlinesAfter });
      this.contentStart = -1;
      this.state = 'normal';
      this.parenDepth = 0;
      this.stmtStart = this.pos;
    }
    this.compact();
  }

  /** Drops text already handed out, so a long script does not make scanning quadratic. */
  private compact(): void {
    const cut = this.contentStart >= 0 ? Math.min(this.stmtStart, this.contentStart) : this.stmtStart;
    if (cut < 4096 && cut < this.buf.length / 2) return;
    this.buf = this.buf.slice(cut);
    this.pos -= cut;
    this.stmtStart -= cut;
    if (this.contentStart >= 0) this.contentStart -= cut;
  }
}
