/**
 * Deep listing pages over a large archive: the cost of page 1 and page 500 of the site's list
 * (the content API and the front page read it) and of a tag's list, on SQLite and, when a server
 * answers, PostgreSQL. "offset" is the query listings ran before positions (LIMIT/OFFSET over the
 * listing index); "positions" is the range the store reads now, and "service" the whole
 * `listPublished` call (count, ids, the articles' cards and relations); the plans show the rows
 * each reads (PostgreSQL: with EXPLAIN ANALYZE's buffers). Then what a save costs
 * that moves the most entries: withdrawing the oldest story and putting it back.
 *
 *   npx tsx bench/listings.ts [--articles 100000 --runs 200 --engines sqlite,postgres]
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { sql, type Kysely } from 'kysely'
import { benchDatabase, medianMs, queryPlan } from './support.ts'
import { listPublished, saveArticle } from '../src/articles/articles.ts'
import { countListed, listedIds, SITE_LIST } from '../src/articles/listing-store.ts'
import { loadConfig } from '../src/config/config.ts'
import { openSite } from '../src/site.ts'
import type { Database } from '../src/storage/schema.ts'
import * as articleListings from '../src/storage/migrations/2026-12-02-016-article-listings.ts'
import * as listingPositions from '../src/storage/migrations/2026-12-02-017-listing-positions.ts'

const { values: args } = parseArgs({
  options: {
    articles: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '200' },
    engines: { type: 'string', default: 'sqlite,postgres' },
  },
})
const ARTICLES = Number(args.articles)
const RUNS = Number(args.runs)
const PER_PAGE = 10
const DEEP = 500
const NOW = new Date('2030-01-01T00:00:00Z')

/** Articles written straight into the table, every other one tagged, then the listings built from them as an upgrading site's are. */
async function seed(db: Kysely<Database>): Promise<number> {
  const start = Date.parse('2015-01-01T06:00:00Z')
  const { id: tag } = await db.insertInto('terms').values({ taxonomy: 'tag', slug: 'flooding', name: 'Flooding', parent_id: null, description: '' }).returning('id').executeTakeFirstOrThrow()
  for (let done = 0; done < ARTICLES; done += 1000) {
    await db.transaction().execute(async (trx) => {
      const rows = Array.from({ length: Math.min(1000, ARTICLES - done) }, (_, i) => {
        const at = new Date(start + (done + i) * 3_000_000).toISOString()
        return { slug: `story-${done + i}`, title: `Story ${done + i}`, standfirst: 'A standfirst.', body_markdown: 'Body.', body_html: '<p>Body.</p>', status: 'published' as const, published_at: at, updated_at: at, created_at: at, canonical_url: null, comments_open: 1 }
      })
      const ids = await trx.insertInto('articles').values(rows).returning('id').execute()
      await trx.insertInto('article_terms').values(ids.filter((_, i) => i % 2 === 0).map((r) => ({ article_id: r.id, term_id: tag }))).execute()
    })
  }
  await listingPositions.down(db)
  await articleListings.down(db)
  await articleListings.up(db)
  await listingPositions.up(db)
  return tag
}

/** The query pages ran before positions. */
function offsetPage(db: Kysely<Database>, list: { kind: 'site' | 'term'; id: number }, page: number) {
  return db
    .selectFrom('article_listings')
    .select(['article_id', 'published_at'])
    .where('list_kind', '=', list.kind)
    .where('list_id', '=', list.id)
    .where('published_at', '<=', NOW.toISOString())
    .orderBy('published_at', 'desc')
    .orderBy('article_id', 'desc')
    .limit(PER_PAGE)
    .offset((page - 1) * PER_PAGE)
}

const fmt = (x: number) => x.toFixed(3).padStart(8)

for (const engine of args.engines.split(',')) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'broadsheet-bench-listings-'))
  let dropDatabase = async () => {}
  const env: Record<string, string> = { BROADSHEET_DATA: dir, BROADSHEET_DEMO: '0' }
  if (engine === 'postgres') {
    const database = await benchDatabase('listings')
    if (!database) continue
    env.DATABASE_URL = database.url
    dropDatabase = database.drop
  }
  const site = await openSite(loadConfig(env))
  const db = site.db
  try {
    const t0 = performance.now()
    const tag = await seed(db)
    if (engine === 'postgres') await sql`analyze`.execute(db)
    console.log(`${engine}: ${ARTICLES.toLocaleString('en')} listed articles seeded in ${((performance.now() - t0) / 1000).toFixed(0)} s; median of ${RUNS} runs, ms`)
    const term = { kind: 'term' as const, id: tag }
    for (const [name, list] of [['site list', { kind: 'site' as const, id: 0 }], ['tag list', term]] as const) {
      for (const page of [1, DEEP]) {
        const lists = [list.kind === 'site' ? SITE_LIST : term]
        const listed = await countListed(db, lists, NOW.toISOString())
        const before = await medianMs(RUNS, () => offsetPage(db, list, page).execute())
        // The count is read once for the page's total either way (pageOf), and handed in.
        const after = await medianMs(RUNS, () => listedIds(db, { lists, now: NOW.toISOString(), limit: PER_PAGE, offset: (page - 1) * PER_PAGE, listed }))
        const counting = await medianMs(RUNS, () => countListed(db, lists, NOW.toISOString()))
        console.log(`  ${name} page ${String(page).padStart(3)}: offset ${fmt(before)}   positions ${fmt(after)}   (the total, read by both: ${fmt(counting)})`)
      }
    }
    for (const page of [1, DEEP]) console.log(`  listPublished page ${String(page).padStart(3)} (the whole service call): ${fmt(await medianMs(RUNS, () => listPublished(db, page, PER_PAGE, NOW)))}`)
    const top = ARTICLES - (DEEP - 1) * PER_PAGE
    console.log(`  plan, offset page ${DEEP}:    ${await queryPlan(engine, db, offsetPage(db, SITE_LIST as { kind: 'site'; id: 0 }, DEEP).compile())}`)
    const range = db.selectFrom('article_listings').select('article_id').where('list_kind', '=', 'site').where('list_id', '=', 0).where('position', '>=', top - PER_PAGE + 1).where('position', '<=', top).orderBy('position', 'desc')
    console.log(`  plan, positions page ${DEEP}: ${await queryPlan(engine, db, range.compile())}`)

    // The saves that move the most entries: the oldest story withdrawn (every newer entry moves down) and put back.
    const oldest = (await db.selectFrom('articles').select(['id', 'title', 'published_at']).orderBy('published_at').limit(1).executeTakeFirstOrThrow())
    let w = performance.now()
    await saveArticle(db, { id: oldest.id, title: oldest.title, tags: ['Flooding'], status: 'draft', publishedAt: new Date(oldest.published_at!) }, NOW)
    const withdraw = performance.now() - w
    w = performance.now()
    await saveArticle(db, { id: oldest.id, title: oldest.title, tags: ['Flooding'], status: 'published', publishedAt: new Date(oldest.published_at!) }, NOW)
    const restore = performance.now() - w
    w = performance.now()
    await saveArticle(db, { title: 'Published now', tags: ['Flooding'] }, NOW)
    const fresh = performance.now() - w
    console.log(`  save that withdraws the oldest story ${fmt(withdraw)}; republishes it ${fmt(restore)}; publishes a new story now ${fmt(fresh)}`)
  } finally {
    await site.close()
    await dropDatabase()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
