import assert from 'node:assert/strict'
import { describe, test, type TestContext } from 'node:test'
import { loadConfig } from '../src/config/config.ts'
import { openSite } from '../src/site.ts'
import { DIALECTS, type Dialect } from './support/dialects.ts'
import { testSite, type TestSite } from './support/test-site.ts'

const DAY_MS = 86_400_000

/** A site with `count` comments made 40 days ago that still carry their full IP address. */
async function siteWithOldComments(ctx: TestContext, dialect: Dialect, count: number) {
  const t = await testSite(ctx, { dialect })
  const article = await t.factories.article({ title: 'Flood barrier holds' })
  const createdAt = new Date(t.now.getTime() - 40 * DAY_MS).toISOString()
  const rows = Array.from({ length: count }, (_, i) => ({
    article_id: article.id,
    parent_id: null,
    author_name: `Reader ${i}`,
    author_email: `reader-${i}@example.org`,
    author_url: '',
    author_ip: `198.51.${Math.floor(i / 250)}.${(i % 250) + 1}`,
    user_agent: null,
    content_markdown: `Comment ${i}`,
    content_html: `<p>Comment ${i}</p>`,
    status: 'approved' as const,
    reasons: '[]',
    spam_score: null,
    notify_replies: 0,
    created_at: createdAt,
  }))
  await t.site.db.insertInto('comments').values(rows).execute()
  return t
}

/** Another app process's site over the same database (no migrations, no demo: the first one did those). */
async function secondInstance(ctx: TestContext, t: TestSite) {
  const other = await openSite(loadConfig(t.env), { migrate: false, seed: false, now: () => t.now })
  let closed = false
  const closeSite = other.close.bind(other)
  const close = async () => {
    if (!closed) await closeSite()
    closed = true
  }
  ctx.after(close)
  return Object.assign(other, { close })
}

async function fullIps(t: TestSite): Promise<number> {
  const rows = await t.site.db.selectFrom('comments').select('author_ip').execute()
  return rows.filter((r) => r.author_ip !== null && !r.author_ip.endsWith('.0')).length
}

for (const dialect of DIALECTS) {
  describe(`background sweeps on ${dialect}`, () => {
    test('two app processes over one database run the retention sweep once between them', async (ctx) => {
      const t = await siteWithOldComments(ctx, dialect, 250)
      const other = await secondInstance(ctx, t)
      const [here, there] = await Promise.all([t.jobs.retention({ batchSize: 50 }), other.services.privacy.applyRetention({ batchSize: 50 })])
      assert.equal([here, there].filter((r) => r.ran).length, 1, 'exactly one process did the work; the other found the lease held')
      assert.equal(here.ipsAnonymised + there.ipsAnonymised, 250)
      assert.equal(here.batches + there.batches, 10, '250 comments in batches of 50: 5 transactions for the addresses, 5 for the text hashes')
      assert.equal(await fullIps(t), 0, 'no full IP address is left')
      const again = await Promise.all([t.jobs.retention(), other.services.privacy.applyRetention()])
      assert.equal(again[0].ipsAnonymised + again[1].ipsAnonymised, 0, 'a later run finds nothing left to do')
      // Closed before this site's database is dropped (which waits for every connection to go).
      await other.close()
    })

    test('a sweep of N rows in batches of B makes ceil(N/B) transactions and the server answers requests between them', async (ctx) => {
      const t = await siteWithOldComments(ctx, dialect, 610)
      const batches: number[] = []
      let running = true
      const sweep = t.jobs.retention({ batchSize: 50, afterBatch: (name, changed) => void (name === 'ips' && batches.push(changed)) }).finally(() => (running = false))
      // Requests sent while the sweep runs: each is answered after some batches and before others.
      const answeredDuring: number[] = []
      while (running) {
        const res = await t.get('/healthz')
        assert.equal(res.status, 200)
        await res.arrayBuffer()
        if (running) answeredDuring.push(batches.length)
      }
      const result = await sweep
      assert.deepEqual(batches, [...Array(12).fill(50), 10], '610 comments in batches of 50: 13 transactions, the last of 10')
      assert.equal(result.textsHashed, 610, 'the rows written without a text hash got one in the same run')
      assert.equal(result.batches, 26, '13 transactions for the addresses and 13 for the hashes')
      assert.ok(
        answeredDuring.some((done) => done > 0 && done < 13),
        `the site answered no request between two batches (requests answered after batches: ${answeredDuring.join(', ')})`,
      )
    })

    test('a sweep cut short resumes where it stopped, and a lease left by a vanished process is taken once it expires', async (ctx) => {
      const t = await siteWithOldComments(ctx, dialect, 120)
      let seen = 0
      const stopped = t.jobs.retention({
        batchSize: 40,
        afterBatch: () => {
          if (++seen === 2) throw new Error('the process stopped')
        },
      })
      await assert.rejects(stopped, /the process stopped/)
      assert.equal(await fullIps(t), 40, 'two batches were done before it stopped')
      const resumed = await t.jobs.retention({ batchSize: 40 })
      assert.equal(resumed.ipsAnonymised, 40, 'the next run did only the rest')
      assert.equal(await fullIps(t), 0)

      await t.site.db.updateTable('job_leases').set({ holder: 'a process on another host', expires_at: new Date(Date.now() + 60_000).toISOString() }).execute()
      assert.equal((await t.jobs.retention()).ran, false, 'a live lease held elsewhere: nothing is done here')
      await t.site.db.updateTable('job_leases').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).execute()
      assert.equal((await t.jobs.retention()).ran, true, 'an expired lease is taken over')
    })

    test('expired sessions, sign-in links and old rate-limit windows are forgotten by the sweep', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const staff = await t.factories.staff('editor')
      const past = new Date(t.now.getTime() - DAY_MS).toISOString()
      const future = new Date(t.now.getTime() + DAY_MS).toISOString()
      await t.site.db
        .insertInto('sessions')
        .values([
          { id_hash: 'expired', user_id: staff.id, created_at: past, last_seen_at: past, expires_at: past },
          { id_hash: 'live', user_id: staff.id, created_at: past, last_seen_at: past, expires_at: future },
        ])
        .execute()
      await t.site.db
        .insertInto('account_links')
        .values([
          { token_hash: 'expired', kind: 'password_reset', user_id: staff.id, created_at: past, expires_at: past, used_at: null },
          { token_hash: 'live', kind: 'password_reset', user_id: staff.id, created_at: past, expires_at: future, used_at: null },
        ])
        .execute()
      const hourAgo = Math.floor(t.now.getTime() / 1000) - 7200
      await t.site.db.insertInto('rate_limit_windows').values([{ bucket: 'comment:198.51.100.0', window_start: hourAgo, hits: 3 }, { bucket: 'comment:198.51.100.0', window_start: Math.floor(t.now.getTime() / 1000), hits: 1 }]).execute()
      const result = await t.jobs.retention()
      assert.deepEqual([result.sessionsEnded, result.linksForgotten, result.windowsForgotten], [1, 1, 1])
      assert.deepEqual((await t.site.db.selectFrom('sessions').select('id_hash').execute()).map((r) => r.id_hash), ['live'])
      assert.deepEqual((await t.site.db.selectFrom('account_links').select('token_hash').execute()).map((r) => r.token_hash), ['live'])
      assert.equal((await t.site.db.selectFrom('rate_limit_windows').selectAll().execute()).length, 1)
    })
  })
}
