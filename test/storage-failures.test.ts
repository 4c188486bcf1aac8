// When the database cannot take writes (locked by another process, disk full, read-only), writes
// answer 503 with Retry-After and save nothing, /healthz says 503 with the reason, and all of it
// recovers by itself once the database takes writes again.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import SQLite from 'better-sqlite3'
import { sql } from 'kysely'
import pg from 'pg'
import { postForm } from './support/comments.ts'
import { DIALECTS, POSTGRES_ADMIN_URL } from './support/dialects.ts'
import { testSite, type TestSite } from './support/test-site.ts'

async function commentCount(t: TestSite): Promise<number> {
  const row = await t.site.db.selectFrom('comments').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Both of the site's SQLite connections give up on a lock after 50 ms instead of 5 s. */
async function impatient(t: TestSite): Promise<void> {
  await sql`PRAGMA busy_timeout = 50`.execute(t.site.db)
  await sql`PRAGMA busy_timeout = 50`.execute(t.site.storage.counters)
}

/** The site's first article page makes its form-signing secret (a write); a site that has served pages has it. */
async function warmUp(t: TestSite, path: string): Promise<void> {
  assert.equal((await t.get(path)).status, 200)
}

async function health(t: TestSite): Promise<{ status: number; body: { status: string; writes: string; problem?: string } }> {
  const res = await t.get('/healthz')
  return { status: res.status, body: (await res.json()) as never }
}

describe('the database cannot take writes (SQLite)', () => {
  test('locked by another process: a comment answers 503 with Retry-After, nothing is saved, and it works once the lock is gone', async (ctx) => {
    const t = await testSite(ctx)
    await t.settings({ holdFirstTimeCommenters: false })
    const article = await t.factories.article()
    await warmUp(t, article.path)
    await impatient(t)
    const other = new SQLite(t.site.storage.describe)
    ctx.after(() => other.close())
    other.exec('BEGIN EXCLUSIVE')
    const before = await commentCount(t)
    const refused = await postForm(t, article.path, { content: 'Written while the database is locked.' })
    assert.equal(refused.status, 503, 'a locked database is "try again", not a server error')
    assert.ok(Number(refused.headers.get('retry-after')) > 0, 'with Retry-After')
    assert.match(await refused.text(), /Nothing was saved; please try again/)
    const api = await t.api(`/api/v1/articles/${article.id}/comments`, { method: 'POST', body: { author: 'Ann', email: 'ann@example.org', content: 'Also while locked.' } })
    assert.equal(api.status, 503)
    assert.equal(((await api.json()) as any).error.code, 'database_busy')
    const probe = await health(t)
    assert.equal(probe.status, 503, '/healthz sees that writes fail')
    assert.equal(probe.body.writes, 'failing')
    assert.match(probe.body.problem ?? '', /SQLITE_BUSY/)
    assert.equal((await t.get('/readyz')).status, 200, 'reads still answer: the process stays in the pool')
    assert.equal((await t.get(article.path)).status, 200, 'readers still read')
    other.exec('ROLLBACK')
    assert.equal(await commentCount(t), before, 'nothing was half written')
    const accepted = await postForm(t, article.path, { content: 'Written once the lock is gone.' })
    assert.equal(accepted.status, 303)
    assert.equal(await commentCount(t), before + 1)
    assert.equal((await health(t)).status, 200)
  })

  test('disk full (the database may not grow): a comment answers 503 with Retry-After and saves nothing', async (ctx) => {
    const t = await testSite(ctx)
    await t.settings({ holdFirstTimeCommenters: false })
    const article = await t.factories.article()
    const before = await commentCount(t)
    const { page_count: pages } = (await sql<{ page_count: number }>`PRAGMA page_count`.execute(t.site.db)).rows[0]!
    // The site's own connection may not add a page: SQLite answers SQLITE_FULL, as on a full disk.
    await sql.raw(`PRAGMA max_page_count = ${pages}`).execute(t.site.db)
    const long = 'Every word of this comment needs room on a disk that has none. '.repeat(150)
    const refused = await postForm(t, article.path, { content: long })
    assert.equal(refused.status, 503, 'a full disk is "try again later", not a server error')
    assert.ok(Number(refused.headers.get('retry-after')) > 0)
    assert.equal(await commentCount(t), before, 'nothing was half written')
    await sql.raw('PRAGMA max_page_count = 4294967294').execute(t.site.db)
    const accepted = await postForm(t, article.path, { content: long })
    assert.equal(accepted.status, 303, 'it recovers once there is room')
    assert.equal(await commentCount(t), before + 1)
  })

  test('a read-only database: /healthz answers 503 naming it, /readyz stays 200, writes answer 503', async (ctx) => {
    const t = await testSite(ctx)
    const article = await t.factories.article()
    await warmUp(t, article.path)
    assert.equal((await health(t)).status, 200)
    await sql`PRAGMA query_only = ON`.execute(t.site.db)
    const probe = await health(t)
    assert.equal(probe.status, 503)
    assert.deepEqual([probe.body.status, probe.body.writes], ['unavailable', 'failing'])
    assert.match(probe.body.problem ?? '', /readonly|read-only/i)
    assert.equal((await t.get('/readyz')).status, 200)
    const refused = await postForm(t, article.path, { content: 'Written to a read-only database.' })
    assert.equal(refused.status, 503)
    await sql`PRAGMA query_only = OFF`.execute(t.site.db)
    assert.equal((await health(t)).status, 200, 'healthy again once writes are taken')
  })
})

describe('the database cannot take writes (PostgreSQL)', { skip: !DIALECTS.includes('postgres') && 'no PostgreSQL here' }, () => {
  test('a read-only database (default_transaction_read_only): /healthz 503, a comment 503 with Retry-After, then recovery', async (ctx) => {
    const t = await testSite(ctx, { dialect: 'postgres' })
    await t.settings({ holdFirstTimeCommenters: false })
    const article = await t.factories.article()
    await warmUp(t, article.path)
    const name = new URL(t.env.DATABASE_URL!).pathname.slice(1)
    const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL })
    await admin.connect()
    ctx.after(() => admin.end())
    // Every new connection to this database is read-only; the site's open ones are ended, so its pool opens new ones.
    const setReadOnly = async (on: boolean) => {
      await admin.query(`alter database ${name} set default_transaction_read_only = ${on ? 'on' : 'off'}`)
      await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name])
    }
    await setReadOnly(true)
    // The pool notices its ended connections on their next use; a few requests flush them out.
    for (let i = 0; i < 12; i++) await t.get('/readyz')
    const probe = await health(t)
    assert.equal(probe.status, 503)
    assert.match(probe.body.problem ?? '', /25006|read-only/)
    const before = await commentCount(t)
    const refused = await postForm(t, article.path, { content: 'Written to a read-only server.' })
    assert.equal(refused.status, 503)
    assert.ok(Number(refused.headers.get('retry-after')) > 0)
    await setReadOnly(false)
    for (let i = 0; i < 12; i++) await t.get('/readyz')
    assert.equal(await commentCount(t), before)
    assert.equal((await postForm(t, article.path, { content: 'Written once writes are taken.' })).status, 303)
    assert.equal((await health(t)).status, 200)
  })

  test('a connection the server ends while the site holds it (between the statements of a transaction) fails that work alone; the process carries on', async (ctx) => {
    const t = await testSite(ctx, { dialect: 'postgres' })
    const article = await t.factories.article()
    const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL })
    await admin.connect()
    ctx.after(() => admin.end())
    const outcome = await t.site.db
      .transaction()
      .execute(async (trx) => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)
        await admin.query('select pg_terminate_backend($1)', [rows[0]!.pid])
        // The server's goodbye reaches the connection while no statement is out on it.
        await new Promise((resolve) => setTimeout(resolve, 300))
        await sql`select 1`.execute(trx)
        return 'committed'
      })
      .catch((error: Error) => `failed: ${error.message}`)
    assert.match(outcome, /^failed: /, 'the transaction on the ended connection fails')
    // Unheard, the connection's own 'error' event would have ended the process before this line.
    assert.equal((await t.get('/readyz')).status, 200)
    assert.equal((await t.get(article.path)).status, 200, 'readers still read')
  })
})
