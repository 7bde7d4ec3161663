/**
 * Bodies as they appear in PostgreSQL's documentation and in application migrations, run
 * unchanged: the merge_db retry loop, the emp_stamp trigger, and an idempotent migration that
 * inspects information_schema, alters a table and tolerates existing objects.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Types } from '../../src/types/sql-type.ts';
import { SessionHost, compile, throwsCode, triggerCall } from './session-host.ts';

test('merge_db from the PostgreSQL manual: UPDATE, else INSERT, retrying on unique_violation', async () => {
  const host = await SessionHost.open('CREATE TABLE db (a INT PRIMARY KEY, b TEXT)');
  const mergeDb = compile(`
BEGIN
    LOOP
        -- first try to update the key
        UPDATE db SET b = data WHERE a = key;
        IF found THEN
            RETURN;
        END IF;
        -- not there, so try to insert the key
        BEGIN
            INSERT INTO db(a,b) VALUES (key, data);
            RETURN;
        EXCEPTION WHEN unique_violation THEN
            -- Do nothing, and loop to try the UPDATE again.
        END;
    END LOOP;
END;
`, { name: 'public.merge_db', argNames: ['key', 'data'], argTypes: [Types.int4, Types.text], returnType: Types.void });
  mergeDb.call([1, 'david'], host);
  mergeDb.call([1, 'dennis'], host);
  mergeDb.call([2, 'eve'], host);
  assert.deepEqual(host.rows('SELECT * FROM db ORDER BY a'), [{ a: 1, b: 'dennis' }, { a: 2, b: 'eve' }]);
});

test('emp_stamp from the PostgreSQL manual: validation errors and stamping NEW', async () => {
  const host = await SessionHost.open('CREATE TABLE emp (empname text, salary integer, last_date timestamp, last_user text)');
  const empStamp = compile(`
    BEGIN
        -- Check that empname and salary are given
        IF NEW.empname IS NULL THEN
            RAISE EXCEPTION 'empname cannot be null';
        END IF;
        IF NEW.salary IS NULL THEN
            RAISE EXCEPTION '% cannot have null salary', NEW.empname;
        END IF;

        -- Who works for us when they must pay for it?
        IF NEW.salary < 0 THEN
            RAISE EXCEPTION '% cannot have a negative salary', NEW.empname;
        END IF;

        -- Remember who changed the payroll when
        NEW.last_date := current_timestamp;
        NEW.last_user := current_user;
        RETURN NEW;
    END;
`, { name: 'public.emp_stamp', isTrigger: true });
  const fire = (row: unknown[]): unknown => empStamp.callTrigger!(triggerCall(host, 'emp', 'INSERT', { new: row }), host);
  const e = throwsCode(() => fire(['Ann', -1, null, null]), 'P0001', 'Ann cannot have a negative salary');
  assert.equal(e.where, 'PL/pgSQL function emp_stamp() line 13 at RAISE');
  throwsCode(() => fire([null, 1, null, null]), 'P0001', 'empname cannot be null');
  throwsCode(() => fire(['Bob', null, null, null]), 'P0001', 'Bob cannot have null salary');
  const row = fire(['Cy', 100, null, null]) as unknown[];
  const [now, user] = host.query('SELECT current_timestamp::timestamp, current_user::text').rows[0]!;
  assert.deepEqual(row, ['Cy', 100, now, user]);
});

test('an idempotent migration: information_schema checks, ALTER, EXECUTE format(), duplicate_table', async () => {
  const host = await SessionHost.open('CREATE TABLE users (id int PRIMARY KEY, email text)');
  const migrate = compile(`
DECLARE
  col record;
  n int := 0;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM information_schema.columns
                 WHERE table_name = 'users' AND column_name = 'created_at') THEN
    ALTER TABLE users ADD COLUMN created_at timestamptz DEFAULT now();
    RAISE NOTICE 'added created_at';
  END IF;
  FOR col IN SELECT column_name, data_type FROM information_schema.columns
             WHERE table_name = 'users' ORDER BY ordinal_position LOOP
    n := n + 1;
    RAISE NOTICE 'column %: % %', n, col.column_name, col.data_type;
  END LOOP;
  BEGIN
    EXECUTE 'CREATE TABLE users (id int)';
  EXCEPTION WHEN duplicate_table THEN
    RAISE NOTICE 'kept: %', SQLERRM;
  END;
  EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I (%I)', 'users_email_idx', 'users', 'email');
END`, { isProcedure: true });
  migrate.call([], host);
  migrate.call([], host);
  const messages = host.logs.map((l) => l.message);
  const columns = ['column 1: id integer', 'column 2: email text', 'column 3: created_at timestamp with time zone'];
  assert.deepEqual(messages, [
    'added created_at', ...columns, 'kept: relation "users" already exists',
    ...columns, 'kept: relation "users" already exists',
  ]);
  assert.equal(host.rows("SELECT count(*)::int AS n FROM pg_indexes WHERE indexname = 'users_email_idx'")[0]!.n, 1);
});
