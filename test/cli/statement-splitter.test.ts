import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatementSplitter, type SplitItem } from '../../src/cli/statement-splitter.ts';

/** Splits `text` delivered in `chunkSize`-character pieces (0: all at once). */
function split(text: string, chunkSize = 0): SplitItem[] {
  const s = new StatementSplitter();
  const items: SplitItem[] = [];
  const drain = (): void => { for (let it = s.next(); it !== null; it = s.next()) items.push(it); };
  if (chunkSize === 0) s.push(text);
  else for (let i = 0; i < text.length; i += chunkSize) { s.push(text.slice(i, i + chunkSize)); drain(); }
  drain();
  s.end();
  drain();
  return items;
}

function texts(text: string): string[] {
  return split(text).map((i) => (i.kind === 'sql' ? i.text : `META ${i.text}`));
}

test('splits on semicolons and trims', () => {
  assert.deepEqual(texts('select 1;  select 2 ;\nselect 3'), ['select 1', 'select 2', 'select 3']);
});

test('empty statements and comment-only input produce nothing', () => {
  assert.deepEqual(texts(';;  ;\n-- just a comment\n/* block */;'), []);
});

test('semicolons inside quotes, identifiers, comments and parentheses do not split', () => {
  assert.deepEqual(texts("select 'a;b', 'it''s;'; select 2"), ["select 'a;b', 'it''s;'", 'select 2']);
  assert.deepEqual(texts('select "we;ird" from t; x'), ['select "we;ird" from t', 'x']);
  assert.deepEqual(texts('select 1 -- no; split\n+ 1; y'), ['select 1 -- no; split\n+ 1', 'y']);
  assert.deepEqual(texts('select /* a; /* nested; */ still; */ 1; z'),
    ['select /* a; /* nested; */ still; */ 1', 'z']);
  assert.deepEqual(texts('create rule r as on insert to t do (insert into a values (1); insert into b values (2)); q'),
    ['create rule r as on insert to t do (insert into a values (1); insert into b values (2))', 'q']);
});

test('dollar quotes, tagged and untagged', () => {
  const body = 'create function f() returns int as $$ begin; return 1; end $$ language plpgsql';
  assert.deepEqual(texts(`${body}; select 2`), [body, 'select 2']);
  const tagged = "do $fn$ begin raise notice 'x;$$;'; end $fn$";
  assert.deepEqual(texts(`${tagged};next`), [tagged, 'next']);
});

test('$1 parameters and identifiers containing $ are not dollar quotes', () => {
  assert.deepEqual(texts('select $1; select a$b$c from t; end'), ['select $1', 'select a$b$c from t', 'end']);
});

test("E'' strings honour backslash escapes; standard strings do not", () => {
  assert.deepEqual(texts("select E'a\\';b'; next"), ["select E'a\\';b'", 'next']);
  assert.deepEqual(texts("select 'a\\'; next"), ["select 'a\\'", 'next']);
  // "e" ending an identifier is not an escape-string prefix.
  assert.deepEqual(texts("select type'x\\'; next"), ["select type'x\\'", 'next']);
});

test('meta-commands run to the end of their line and keep the pending statement', () => {
  const items = split('select 1 \\g\n\\d users\nselect\n\\x\n2;');
  assert.deepEqual(items.map((i) => i.kind), ['meta', 'meta', 'meta', 'sql']);
  assert.deepEqual(items[0], { kind: 'meta', text: '\\g', line: 1, pendingSql: 'select 1' });
  assert.deepEqual(items[1], { kind: 'meta', text: '\\d users', line: 2, pendingSql: 'select 1' });
  assert.deepEqual(items[2], { kind: 'meta', text: '\\x', line: 4, pendingSql: 'select 1 \n\nselect' });
  assert.equal(items[3]?.kind === 'sql' && items[3].text, 'select 1 \n\nselect\n\n2');
});

test('a backslash inside a string is not a meta-command', () => {
  assert.deepEqual(texts("select '\\d'; \\q"), ["select '\\d'", 'META \\q']);
});

test('discardPending drops the statement consumed by a meta-command', () => {
  const s = new StatementSplitter();
  s.push('select 1 \\g\nselect 2;\n');
  const meta = s.next();
  assert.equal(meta?.kind, 'meta');
  s.discardPending();
  const next = s.next();
  assert.deepEqual(next, { kind: 'sql', text: 'select 2', line: 2 });
});

test('the unterminated rest is a final statement at end of input', () => {
  assert.deepEqual(texts("select 1; select 'open"), ['select 1', "select 'open"]);
  assert.deepEqual(texts('select 1; select (2'), ['select 1', 'select (2']);
  // An unclosed comment holds no statement: nothing to send.
  assert.deepEqual(texts('select 1; /* open comment'), ['select 1']);
});

test('line numbers are where each statement ended', () => {
  const items = split('select 1;\n\nselect\n  2;\n-- c\nselect 3\n\n');
  assert.deepEqual(items.map((i) => i.line), [1, 4, 6]);
});

test('any chunking gives the same items', () => {
  const script = [
    "insert into t values ('a;b', E'c\\';d', \"x;y\"); -- trailing; comment",
    'create function f() returns text as $body$ select $q$;$q$ $body$ language sql;',
    'select $1, a$b, (1;2); /* x; /* y */ ; */ select 3;',
    '\\d+ t*',
    'select 4',
  ].join('\n');
  const whole = split(script);
  assert.ok(whole.length >= 5);
  for (const size of [1, 2, 3, 5, 7, 13]) {
    assert.deepEqual(split(script, size), whole, `chunk size ${size}`);
  }
});

test('prompt state follows what is open', () => {
  const s = new StatementSplitter();
  const stateAfter = (text: string): string => {
    s.push(text);
    while (s.next() !== null) { /* drain */ }
    return s.promptState;
  };
  assert.equal(stateAfter(''), '=');
  assert.equal(stateAfter('select\n'), '-');
  assert.equal(stateAfter("'abc\n"), "'");
  assert.equal(stateAfter("'\n"), '-');
  assert.equal(stateAfter('"id\n'), '"');
  assert.equal(stateAfter('"\n'), '-');
  assert.equal(stateAfter('$$ body\n'), '$');
  assert.equal(stateAfter('$$\n'), '-');
  assert.equal(stateAfter('/* note\n'), '*');
  assert.equal(stateAfter('*/ (\n'), '(');
  assert.equal(stateAfter(');\n'), '=');
  assert.equal(s.hasPending, false);
});

test('reset drops everything typed so far', () => {
  const s = new StatementSplitter();
  s.push("select 'unfinished\n");
  assert.equal(s.next(), null);
  assert.equal(s.promptState, "'");
  s.reset();
  assert.equal(s.promptState, '=');
  s.push('select 2;\n');
  assert.equal(s.next()?.kind, 'sql');
});

test('long scripts stay linear (compaction keeps working)', () => {
  const script = 'insert into t values (1);\n'.repeat(20000);
  const items = split(script);
  assert.equal(items.length, 20000);
  assert.equal(items[19999]?.line, 20000);
});
