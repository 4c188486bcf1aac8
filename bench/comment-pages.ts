/**
 * Comment pages of a long thread: what page 1 and page 40 of a 1,000-comment article cost (400
 * threads, 600 replies, 10 threads a page), through the comments service's `threadPage` (the
 * counts, the page's top-level ids, their threads), beside loading all 1,000 comments as the
 * unpaged article does, with the plans of the page's two reads. SQLite and, when a server
 * answers, PostgreSQL.
 *
 *   npx tsx bench/comment-pages.ts [--runs 200 --engines sqlite,postgres]
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { sql } from 'kysely'
import { benchDatabase, medianMs, queryPlan } from './support.ts'
import { saveArticle } from '../src/articles/articles.ts'
import { insertComment, threadIds, threadsQuery } from '../src/comments/comment-store.ts'
import { loadConfig } from '../src/config/config.ts'
import { openSite } from '../src/site.ts'

const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '200' }, engines: { type: 'string', default: 'sqlite,postgres' } } })
const RUNS = Number(args.runs)
const PAGING = { perPage: 10, order: 'asc' } as const

for (const engine of args.engines.split(',')) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'broadsheet-bench-comment-pages-'))
  let dropDatabase = async () => {}
  const env: Record<string, string> = { BROADSHEET_DATA: dir, BROADSHEET_DEMO: '0' }
  if (engine === 'postgres') {
    const database = await benchDatabase('comment_pages')
    if (!database) continue
    env.DATABASE_URL = database.url
    dropDatabase = database.drop
  }
  const site = await openSite(loadConfig(env))
  const db = site.db
  try {
    // Other articles' comments around it, as on a real site: 20 articles of 1,000.
    let busy = 0
    for (let a = 0; a < 20; a++) {
      const { article } = await saveArticle(db, { title: `Busy story ${a}`, publishedAt: new Date('2026-11-01T00:00:00Z') })
      busy = article.id
      const row = (parent: number | null) => ({
        article_id: article.id, parent_id: parent, author_name: 'Ann', author_email: 'ann@example.org', author_url: '', author_ip: null, user_agent: null,
        content_markdown: 'Agreed.', content_html: '<p>Agreed.</p>', status: 'approved' as const, reasons: '[]', spam_score: 0.1, notify_replies: 0, created_at: '2026-11-02T00:00:00Z',
      })
      await db.transaction().execute(async (trx) => {
        const roots: number[] = []
        for (let i = 0; i < 400; i++) roots.push(await insertComment(trx, row(null)))
        for (let k = 0; k < 600; k++) await insertComment(trx, row(roots[(k * 7) % 400]!))
      })
    }
    if (engine === 'postgres') await sql`analyze`.execute(db)
    console.log(`${engine}: 20 articles of 1,000 comments (400 threads); ${PAGING.perPage} threads a page; median of ${RUNS} runs, ms`)
    for (const page of [1, 40]) console.log(`  threadPage page ${String(page).padStart(2)}: ${(await medianMs(RUNS, () => site.services.comments.threadPage(busy, 5, page, PAGING))).toFixed(3)}`)
    console.log(`  every comment, unpaged (approvedThread): ${(await medianMs(RUNS, () => site.services.comments.approvedThread(busy, 5))).toFixed(3)}`)
    const compiledIds = db.selectFrom('comments').select('id').where('article_id', '=', busy).where('status', '=', 'approved').where('parent_id', 'is', null).orderBy('id').limit(10).offset(390).compile()
    console.log(`  plan, page 40's threads:  ${await queryPlan(engine, db, compiledIds)}`)
    const roots = await threadIds(db, busy, 10, 390)
    const compiledThreads = threadsQuery(db, roots).compile()
    console.log(`  plan, page 40's replies:  ${await queryPlan(engine, db, compiledThreads)}`)
  } finally {
    await site.close()
    await dropDatabase()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
