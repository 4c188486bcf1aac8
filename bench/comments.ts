/**
 * Comment posting throughput on SQLite: 5,000 comments over loopback through the JSON API
 * (new and returning commenters, replies), while article pages are read in parallel. Then the
 * server is killed with SIGKILL and the database is counted: every 201 must have survived.
 * Three measured runs after a warm-up, with min / median / max.
 *
 *   npm run bench:comments [-- --comments 5000 --connections 16]
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { saveArticle } from '../src/articles/articles.ts'
import { insertComment } from '../src/comments/comment-store.ts'
import { loadConfig } from '../src/config/config.ts'
import { updateSettings } from '../src/settings/settings.ts'
import { openSite } from '../src/site.ts'
import { median, run, spread, startServer } from './support.ts'

const { values: args } = parseArgs({ options: { comments: { type: 'string', default: '5000' }, connections: { type: 'string', default: '16' } } })
const total = Number(args.comments)
/** Readers on article pages meanwhile: a busy local news site's afternoon, several times over. */
const READS_PER_SECOND = 200
/** Comments posted first and not measured. */
const WARM_UP = 1000
/** Measured runs, for min / median / max. */
const RUNS = 3
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'broadsheet-bench-comments-'))
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }))
const env = { BROADSHEET_DATA: dir, BROADSHEET_DEMO: '0' }

// The site: 50 articles, each with a few approved comments to reply to and returning commenters.
const site = await openSite(loadConfig(env))
await updateSettings(site.db, { commentRateLimitPerMinute: 100_000 })
const articles: { id: number; path: string; parents: number[] }[] = []
const returning = Array.from({ length: 200 }, (_, i) => `regular${i}@example.org`)
for (let a = 0; a < 50; a++) {
  const publishedAt = new Date(Date.now() - (a + 1) * 86_400_000)
  const { article } = await saveArticle(site.db, { title: `Council story ${a}`, body: 'The council met on Thursday. '.repeat(200), publishedAt, authors: ['Desk'] })
  const parents: number[] = []
  for (let c = 0; c < 4; c++) {
    const email = returning[(a * 4 + c) % returning.length]!
    parents.push(
      await insertComment(site.db, {
        article_id: article.id, parent_id: null, author_name: `Regular ${c}`, author_email: email, author_url: '', author_ip: '127.0.0.1',
        user_agent: null, content_markdown: `Earlier comment ${a}-${c}`, content_html: `<p>Earlier comment ${a}-${c}</p>`, status: 'approved',
        reasons: '[]', spam_score: 0, notify_replies: 0, created_at: publishedAt.toISOString(),
      }),
    )
  }
  const d = publishedAt
  articles.push({ id: article.id, path: `/${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}/${article.slug}/`, parents })
}
await site.close()

const server = await startServer(env)
const phrases = ['I was at the meeting and the vote was closer than this suggests.', 'Thanks for covering this, nobody else did.', 'Does anyone know when the consultation closes?', 'The figures in the third paragraph do not add up to me.', 'My street flooded in 2016; glad the barrier held this time.']
let n = 0
let lastAnswer = 0n
const readers = run({ url: server.url, connections: 8, overallRate: READS_PER_SECOND, duration: 600, requests: articles.slice(0, 10).map((a) => ({ method: 'GET', path: a.path })) })
/** Posts `amount` comments over the connections; answers autocannon's result and the seconds to the last answer. */
async function post(amount: number) {
  const start = process.hrtime.bigint()
  const result = await run({
    url: server.url,
    connections: Number(args.connections),
    amount,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const i = n++
          const article = articles[i % articles.length]!
          const isReturning = i % 3 !== 0
          const isReply = i % 4 === 0
          const body = {
            author: isReturning ? `Regular ${i % 200}` : `New Reader ${i}`,
            email: isReturning ? returning[i % returning.length] : `new${i}@example.org`,
            content: `${phrases[i % phrases.length]} (${i})`,
            ...(isReply && { parent_id: article.parents[i % article.parents.length] }),
          }
          return { ...req, path: `/api/v1/articles/${article.id}/comments`, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
        },
        // autocannon ends a run of `amount` requests on its next one-second tick: the rate is
        // measured to the last answer instead.
        onResponse: () => {
          lastAnswer = process.hrtime.bigint()
        },
      },
    ],
  })
  return { result, seconds: Number(lastAnswer - start) / 1e9 }
}

// A server that has just started compiles its code on the first requests: those are not the steady state.
const warmUp = await post(WARM_UP)
const measured: Awaited<ReturnType<typeof post>>[] = []
for (let r = 0; r < RUNS; r++) measured.push(await post(total))
// autocannon's instance is both a promise and an emitter that can be stopped early.
;(readers as unknown as { stop(): void }).stop()
const reading = await readers

// Pull the plug: anything acknowledged must be in the database after a SIGKILL.
await server.kill()
const after = await openSite(loadConfig(env), { seed: false })
const row = await after.db.selectFrom('comments').select((eb) => eb.fn.countAll<number>().as('n')).where('content_markdown', 'like', '%(%)').executeTakeFirstOrThrow()
const byStatus = await after.db.selectFrom('comments').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).where('content_markdown', 'like', '%(%)').groupBy('status').execute()
await after.close()

const stored = warmUp.result['2xx'] + measured.reduce((sum, m) => sum + m.result['2xx'], 0)
const rates = measured.map((m) => m.result['2xx'] / m.seconds)
const p99s = measured.map((m) => m.result.latency.p99)
console.log(`${RUNS} runs of ${total} comments (after ${WARM_UP} not measured) with ${args.connections} connections while readers fetch ${READS_PER_SECOND} article pages/s (SQLite; each answer after its commit is flushed to disk); load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`)
for (const [i, m] of measured.entries()) {
  console.log(`run ${i + 1}:         ${rates[i]!.toFixed(0)} created/s   p50 ${m.result.latency.p50} ms   p99 ${m.result.latency.p99} ms   (${m.result['2xx']} × 201, ${m.result.non2xx} other, ${m.result.errors} errors, ${m.seconds.toFixed(2)} s)`)
}
console.log(`comments/s:    min / median / max ${spread(rates)}   p99 ms ${spread(p99s)}`)
console.log(`article reads: ${reading.requests.average.toFixed(0)} req/s   p99 ${reading.latency.p99} ms   meanwhile`)
console.log(`after SIGKILL: ${Number(row.n)} comments in the database for ${stored} answered 201 → ${Number(row.n) === stored ? 'every acknowledged comment survived' : 'MISMATCH'}`)
console.log(`statuses:      ${byStatus.map((s) => `${s.status} ${s.n}`).join(', ')}`)
console.log(`target: ≥ 1,000 comments/s with p99 < 25 ms (medians) → ${median(rates) >= 1000 && median(p99s) < 25 ? 'met' : 'NOT met'}`)
process.exit(Number(row.n) === stored ? 0 : 1)
