/**
 * sqlmap against a real server on loopback, on each engine: the comment form and API, the public
 * JSON API, search, reader paths, the Akismet endpoints and the admin API (bearer token).
 * Bounded for CI (level 1, risk 1, boolean/error/union techniques: no time-based ones, which
 * wait seconds per payload); `npm run sqlmap:full` runs the same targets at level 3, risk 2 with
 * every technique (see docs/security.md for what that found).
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import { describe, test } from 'node:test'
import { formOf } from './support/comments.ts'
import { DIALECTS } from './support/dialects.ts'
import { BOUNDED, FULL, runSqlmap, SQLMAP, sqlmapTargets, type SqlmapVerdict } from './support/sqlmap.ts'
import { testSite } from './support/test-site.ts'

const depth = process.env.BROADSHEET_SQLMAP === 'full' ? FULL : BOUNDED

function sqlmapMissing(): string | undefined {
  if (fs.existsSync(SQLMAP)) return undefined
  const reason = `${SQLMAP} is not installed (apt-get install sqlmap)`
  if (process.env.CI) throw new Error(`the sqlmap run must happen in CI: ${reason}`)
  console.log(`# skipping the sqlmap runs: ${reason}`)
  return reason
}

const missing = sqlmapMissing()

for (const dialect of DIALECTS) {
  describe(`sqlmap (level ${depth.level}, risk ${depth.risk}, techniques ${depth.technique}) on ${dialect}`, { skip: missing }, () => {
    test('no parameter of the public, Akismet or admin API is injectable, and none answers 500', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      await t.settings({ commentRateLimitPerMinute: 100_000, holdFirstTimeCommenters: false })
      const article = await t.factories.article({ title: 'Flood barrier holds as the river peaks', tags: ['Flooding'], categories: ['Local'] })
      const admin = await t.factories.staff('administrator')
      const targets = sqlmapTargets({
        baseUrl: t.url,
        articleId: article.id,
        articleSlug: article.slug,
        articlePath: article.path,
        tag: 'flooding',
        adminToken: admin.token,
        akismetKey: await t.factories.akismetKey(),
        formFields: await formOf(t, article.path),
      })
      const verdicts: SqlmapVerdict[] = []
      for (const target of targets) verdicts.push(await runSqlmap(target, depth))
      for (const v of verdicts) {
        const statuses = Object.entries(v.errorStatuses).map(([s, n]) => `${s}×${n}`).join(' ') || 'none'
        ctx.diagnostic(`${v.target}: ${v.requests} requests, ${v.clean ? 'not injectable' : `INJECTABLE ${v.injectable.join('; ')}`}, non-2xx/3xx: ${statuses}`)
      }
      ctx.diagnostic(`${verdicts.length} targets, ${verdicts.reduce((n, v) => n + v.requests, 0)} requests`)
      for (const v of verdicts) {
        assert.ok(v.requests > 10, `${v.target}: sqlmap sent only ${v.requests} requests:\n${v.output.slice(-2000)}`)
        assert.deepEqual(v.injectable, [], `${v.target}: sqlmap found an injection:\n${v.output.slice(-4000)}`)
        assert.ok(v.clean, `${v.target}: sqlmap did not conclude "all tested parameters do not appear to be injectable":\n${v.output.slice(-3000)}`)
        const serverErrors = Object.keys(v.errorStatuses).filter((s) => s.startsWith('5'))
        assert.deepEqual(serverErrors, [], `${v.target}: the server answered ${serverErrors.join(', ')} to sqlmap's requests`)
      }
      // The comment targets reached the code that stores comments, not only a refusal in front of it.
      const stored = await t.site.db.selectFrom('comments').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()
      assert.ok(Number(stored.n) > 50, `only ${stored.n} comments were stored from sqlmap's requests`)
    })
  })
}
