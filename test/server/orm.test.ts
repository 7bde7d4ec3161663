/**
 * ORMs and query builders over node-postgres against the server: Kysely (PostgresDialect), Knex
 * (client 'pg', its migrations API) and Drizzle (drizzle-orm/node-postgres with its SQL-file
 * migrator reading fixtures/drizzle). Each creates its schema, then inserts, selects with joins,
 * updates, deletes and runs transactions (one committed, one rolled back by an error).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Kysely, PostgresDialect, sql, type Generated } from 'kysely';
import knexFactory from 'knex';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { pgTable, serial, text, integer, varchar, timestamp } from 'drizzle-orm/pg-core';
import { eq, gt, desc, sql as dsql } from 'drizzle-orm';
import { startServer } from './helpers.ts';

function pool(port: number): pg.Pool {
  const p = new pg.Pool({ host: '127.0.0.1', port, user: 'oxibase', database: 'oxibase', max: 4 });
  // Idle clients see the FATAL of the server's shutdown at the end of a test.
  p.on('error', () => undefined);
  return p;
}

interface KDb {
  person: { id: Generated<number>; first_name: string; last_name: string | null; age: number };
  pet: { id: Generated<number>; owner_id: number; name: string; species: string };
}

test('Kysely: schema builder, CRUD, joins, transactions, introspection', async () => {
  const r = await startServer();
  const db = new Kysely<KDb>({ dialect: new PostgresDialect({ pool: pool(r.port) }) });
  try {
    await db.schema.createTable('person')
      .addColumn('id', 'serial', (c) => c.primaryKey())
      .addColumn('first_name', 'varchar(50)', (c) => c.notNull())
      .addColumn('last_name', 'varchar(255)')
      .addColumn('age', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.createTable('pet')
      .addColumn('id', 'serial', (c) => c.primaryKey())
      .addColumn('owner_id', 'integer', (c) => c.references('person.id').onDelete('cascade').notNull())
      .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
      .addColumn('species', 'varchar(255)', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('pet_owner_id_index').on('pet').column('owner_id').execute();

    const { id } = await db.insertInto('person').values({ first_name: 'Jennifer', last_name: 'Aniston', age: 40 })
      .returning('id').executeTakeFirstOrThrow();
    await db.insertInto('person').values([{ first_name: 'Arnold', last_name: null, age: 70 }, { first_name: 'Sylvester', last_name: 'S', age: 60 }]).execute();
    await db.insertInto('pet').values({ owner_id: id, name: 'Catto', species: 'cat' }).execute();

    const rows = await db.selectFrom('person').innerJoin('pet', 'pet.owner_id', 'person.id')
      .select(['person.first_name', 'pet.name as pet_name']).where('person.age', '>', 30).execute();
    assert.deepEqual(rows, [{ first_name: 'Jennifer', pet_name: 'Catto' }]);
    const counted = await db.selectFrom('person').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(counted.n), 3);

    const upd = await db.updateTable('person').set({ age: sql`age + 1` }).where('last_name', 'is', null).executeTakeFirst();
    assert.equal(upd.numUpdatedRows, 1n);
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('pet').values({ owner_id: id, name: 'Doggo', species: 'dog' }).execute();
    });
    await assert.rejects(db.transaction().execute(async (trx) => {
      await trx.insertInto('pet').values({ owner_id: id, name: 'Hammo', species: 'hamster' }).execute();
      await trx.insertInto('pet').values({ owner_id: id, name: 'Catto', species: 'cat' }).execute();
    }), (e: { code?: string }) => e.code === '23505');
    const pets = await db.selectFrom('pet').select('name').orderBy('name').execute();
    assert.deepEqual(pets.map((p) => p.name), ['Catto', 'Doggo']);

    const del = await db.deleteFrom('person').where('first_name', '=', 'Jennifer').executeTakeFirst();
    assert.equal(del.numDeletedRows, 1n);
    assert.equal((await db.selectFrom('pet').selectAll().execute()).length, 0, 'ON DELETE CASCADE');

    // Kysely's introspector queries pg_catalog.
    const tables = await db.introspection.getTables();
    const person = tables.find((t) => t.name === 'person');
    assert.ok(person);
    assert.deepEqual(person.columns.map((c) => [c.name, c.dataType, c.isNullable, c.isAutoIncrementing]),
      [['id', 'int4', false, true], ['first_name', 'varchar', false, false], ['last_name', 'varchar', true, false], ['age', 'int4', false, false]]);
  } finally {
    await db.destroy();
    await r.stop();
  }
});

test('Knex: migrations, CRUD, joins, transactions', async () => {
  const r = await startServer();
  const knex = knexFactory({
    client: 'pg',
    connection: { host: '127.0.0.1', port: r.port, user: 'oxibase', database: 'oxibase' },
    pool: { min: 0, max: 4 },
  });
  try {
    const migrations = {
      async getMigrations() { return ['001_users', '002_posts']; },
      getMigrationName(m: string) { return m; },
      async getMigration(m: string) {
        if (m === '001_users') {
          return {
            up: (k: typeof knex) => k.schema.createTable('users', (t) => {
              t.increments('id');
              t.string('email').notNullable().unique();
              t.boolean('active').defaultTo(true);
              t.timestamps(true, true);
            }),
            down: (k: typeof knex) => k.schema.dropTable('users'),
          };
        }
        return {
          up: (k: typeof knex) => k.schema.createTable('posts', (t) => {
            t.increments('id');
            t.integer('user_id').unsigned().references('id').inTable('users').onDelete('CASCADE');
            t.text('body');
            t.decimal('score', 8, 2);
            t.jsonb('meta');
          }),
          down: (k: typeof knex) => k.schema.dropTable('posts'),
        };
      },
    };
    const [batch, log] = await knex.migrate.latest({ migrationSource: migrations });
    assert.equal(batch, 1);
    assert.deepEqual(log, ['001_users', '002_posts']);
    assert.equal(await knex.migrate.currentVersion({ migrationSource: migrations }), '002');

    const [u] = await knex('users').insert({ email: 'a@x' }).returning(['id', 'active']);
    assert.deepEqual(u, { id: 1, active: true });
    await knex('users').insert([{ email: 'b@x', active: false }, { email: 'c@x' }]);
    await knex('posts').insert([{ user_id: 1, body: 'hello', score: '1.50', meta: { t: ['x'] } }, { user_id: 2, body: 'bye', score: 2 }]);
    const joined = await knex('posts').join('users', 'users.id', 'posts.user_id')
      .select('users.email', 'posts.body', 'posts.score', 'posts.meta').where('users.active', true);
    assert.deepEqual(joined, [{ email: 'a@x', body: 'hello', score: '1.50', meta: { t: ['x'] } }]);
    const agg = await knex('users').count({ n: '*' }).where('active', true).first();
    assert.equal(Number(agg!.n), 2);
    assert.equal(await knex('users').where({ email: 'c@x' }).update({ active: false }), 1);

    await knex.transaction(async (trx) => {
      await trx('posts').insert({ user_id: 3, body: 'in tx' });
    });
    await assert.rejects(knex.transaction(async (trx) => {
      await trx('posts').insert({ user_id: 3, body: 'rolled back' });
      await trx('users').insert({ email: 'a@x' });
    }), (e: { code?: string }) => e.code === '23505');
    assert.deepEqual((await knex('posts').pluck('body')).sort(), ['bye', 'hello', 'in tx']);
    assert.equal(await knex('users').where('email', 'b@x').del(), 1);
    assert.deepEqual((await knex('posts').pluck('body')).sort(), ['hello', 'in tx'], 'ON DELETE CASCADE');
    assert.ok(await knex.schema.hasTable('posts'));
    assert.ok(await knex.schema.hasColumn('posts', 'score'));

    await knex.migrate.rollback({ migrationSource: migrations }, true);
    assert.equal(await knex.schema.hasTable('users'), false);
  } finally {
    await knex.destroy();
    await r.stop();
  }
});

const authors = pgTable('authors', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: timestamp('created_at').defaultNow().notNull(),
  country: varchar('country', { length: 2 }),
});
const books = pgTable('books', {
  id: serial('id').primaryKey(),
  authorId: integer('author_id').notNull().references(() => authors.id, { onDelete: 'cascade' }),
  title: varchar('title', { length: 200 }).notNull(),
  pages: integer('pages'),
});

test('Drizzle: SQL-file migrator, CRUD, joins, transactions', async () => {
  const r = await startServer();
  const p = pool(r.port);
  const db = drizzle(p);
  try {
    await migrate(db, { migrationsFolder: fileURLToPath(new URL('./fixtures/drizzle', import.meta.url)) });
    // A second run applies nothing.
    await migrate(db, { migrationsFolder: fileURLToPath(new URL('./fixtures/drizzle', import.meta.url)) });
    const applied = await p.query('select count(*)::int as n from drizzle.__drizzle_migrations');
    assert.equal(applied.rows[0].n, 2);

    const [le] = await db.insert(authors).values({ name: 'Le Guin', country: 'US' }).returning();
    assert.equal(le!.name, 'Le Guin');
    assert.ok(le!.createdAt instanceof Date);
    const [pr] = await db.insert(authors).values({ name: 'Pratchett', country: 'GB' }).returning({ id: authors.id });
    await db.insert(books).values([
      { authorId: le!.id, title: 'The Dispossessed', pages: 387 },
      { authorId: le!.id, title: 'The Lathe of Heaven', pages: 184 },
      { authorId: pr!.id, title: 'Mort', pages: 243 },
    ]);
    const long = await db.select({ title: books.title, author: authors.name }).from(books)
      .innerJoin(authors, eq(books.authorId, authors.id)).where(gt(books.pages, 200)).orderBy(desc(books.pages));
    assert.deepEqual(long, [{ title: 'The Dispossessed', author: 'Le Guin' }, { title: 'Mort', author: 'Pratchett' }]);
    const perAuthor = await db.select({ name: authors.name, n: dsql<number>`count(${books.id})::int` }).from(authors)
      .leftJoin(books, eq(books.authorId, authors.id)).groupBy(authors.name).orderBy(authors.name);
    assert.deepEqual(perAuthor, [{ name: 'Le Guin', n: 2 }, { name: 'Pratchett', n: 1 }]);

    await db.update(books).set({ pages: 200 }).where(eq(books.title, 'Mort'));
    await db.transaction(async (tx) => {
      await tx.insert(books).values({ authorId: pr!.id, title: 'Guards! Guards!', pages: 288 });
    });
    await assert.rejects(db.transaction(async (tx) => {
      await tx.insert(books).values({ authorId: pr!.id, title: 'Rolled back', pages: 1 });
      await tx.insert(books).values({ authorId: 999, title: 'No author' });
    }));
    const titles = (await db.select({ t: books.title }).from(books).orderBy(books.title)).map((b) => b.t);
    assert.deepEqual(titles, ['Guards! Guards!', 'Mort', 'The Dispossessed', 'The Lathe of Heaven']);
    await db.delete(authors).where(eq(authors.name, 'Le Guin'));
    assert.equal((await db.select().from(books)).length, 2, 'ON DELETE CASCADE');
  } finally {
    await p.end();
    await r.stop();
  }
});
