/**
 * Fills the database named by DATABASE_URL / BROADSHEET_DATA (as `broadsheet serve` would open
 * it) with a big archive for the scale benchmarks: stories with bylines, sections and tags,
 * threaded comments in every state, and what the site keeps beside them (listings and their
 * counts, the search index), as if a newsroom had written it over the years.
 *
 *   DATABASE_URL=… npm run bench:seed [-- --articles 100000 --comments 1000000]
 *
 * The stories are spread an hour apart back from now; one in a hundred is a draft and one in two
 * hundred is scheduled. The newest published story has exactly 1,000 comments (the comment-page
 * benchmark reads it); a hundredth of the stories are "hot" and hold half of the rest; replies
 * answer an earlier comment of the same story. It refuses a database that already has stories.
 */
import { parseArgs } from 'node:util'
import { sql } from 'kysely'
import { loadConfig } from '../src/config/config.ts'
import { migrateToLatest, openStorage, type DB } from '../src/storage/database.ts'
import { anonymiseIp } from '../src/privacy/retention.ts'
import { random, textPool, vocabulary, writer } from './archive.ts'

const { values: args } = parseArgs({ options: { articles: { type: 'string', default: '100000' }, comments: { type: 'string', default: '1000000' } } })
const ARTICLES = Number(args.articles)
const COMMENTS = Number(args.comments)
if (!Number.isInteger(ARTICLES) || ARTICLES < 1) fail('--articles must be a whole number of at least 1')
if (!Number.isInteger(COMMENTS) || COMMENTS < 0) fail('--comments must be a whole number')

function fail(message: string): never {
  console.error(`bench:seed: ${message}`)
  process.exit(1)
}

const AUTHORS = 200
const CATEGORIES = 40
const TAGS = 2_000
const HOUR = 3_600_000
const HOT_SHARE = 0.01
/** Rows per INSERT: under SQLite's 32,766 parameters for the widest table (comments: 16 columns). */
const BATCH = 1_000

const config = loadConfig({ ...process.env, BROADSHEET_DEMO: '0' })
const storage = await openStorage(config.database)
const db = storage.db
const postgres = storage.capabilities.engine === 'postgres'
const started = performance.now()
const lap = (what: string) => console.log(`  ${what} (${((performance.now() - started) / 1000).toFixed(1)} s)`)

try {
  await migrateToLatest(db)
  // A seed that dies half-way is thrown away, so SQLite need not wait for the disk at each commit.
  if (!postgres) await sql`PRAGMA synchronous = OFF`.execute(db)
  const existing = await db.selectFrom('articles').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()
  if (Number(existing.n) > 0) fail(`${storage.describe} already holds ${existing.n} articles; seed an empty database`)
  console.log(`bench:seed: ${ARTICLES.toLocaleString('en')} articles and ${COMMENTS.toLocaleString('en')} comments into ${storage.describe}`)
  await seed(db)
  console.log(`bench:seed: done in ${((performance.now() - started) / 1000).toFixed(1)} s`)
} finally {
  await storage.close()
}

async function seed(db: DB): Promise<void> {
  const pick = random(2026)
  const words = vocabulary()
  const say = writer(words, pick)
  // Stories draw their paragraphs and comments their texts from pools (every story still differs).
  const paragraphPool = textPool(say, 20_000, () => 60)
  const commentPool = textPool(say, 50_000, (i) => 12 + (i % 40))
  const draw = (pool: readonly string[]) => pool[Math.floor(pick() * pool.length)]!
  const now = Date.now()
  const iso = (t: number) => new Date(t).toISOString()

  await db.transaction().execute(async (trx) => {
    const users = Array.from({ length: AUTHORS }, (_, i) => ({
      id: i + 1, email: `reporter${i + 1}@news.example`, display_name: `Reporter ${i + 1}`, slug: `reporter-${i + 1}`, role: 'author', bio: '', password_hash: null, created_at: iso(now - 20 * 365 * 24 * HOUR),
    }))
    await trxInsert(trx, 'users', users)
    const terms = [
      ...Array.from({ length: CATEGORIES }, (_, i) => ({ id: i + 1, taxonomy: 'category', slug: `section-${i + 1}`, name: `Section ${i + 1}`, parent_id: null, description: '' })),
      ...Array.from({ length: TAGS }, (_, i) => ({ id: CATEGORIES + i + 1, taxonomy: 'tag', slug: `topic-${i + 1}`, name: `Topic ${i + 1}`, parent_id: null, description: '' })),
    ]
    await trxInsert(trx, 'terms', terms)
  })
  lap(`${AUTHORS} authors, ${CATEGORIES} sections, ${TAGS.toLocaleString('en')} tags`)

  // Stories, newest first: story k was published k hours ago (scheduled ones k hours from now).
  const published: { id: number; at: number }[] = []
  for (let from = 0; from < ARTICLES; from += 10_000) {
    const articles: Record<string, unknown>[] = []
    const authors: Record<string, unknown>[] = []
    const articleTerms: Record<string, unknown>[] = []
    for (let k = from; k < Math.min(ARTICLES, from + 10_000); k++) {
      const id = ARTICLES - k // ids grow with time, as a site's do: the newest story has the highest
      const status = k % 100 === 50 ? 'draft' : k % 200 === 99 ? 'scheduled' : 'published'
      const at = status === 'scheduled' ? now + (k + 1) * HOUR : now - (k + 1) * HOUR
      const paragraphs = Array.from({ length: 6 }, () => draw(paragraphPool))
      const title = say(8)
      articles.push({
        id, slug: `story-${id}`, title: title[0]!.toUpperCase() + title.slice(1), standfirst: say(25), body_markdown: paragraphs.join('\n\n'),
        body_html: paragraphs.map((p) => `<p>${p}</p>`).join('\n'), status, kind: 'post', sticky: k < 300 && k % 100 === 7 ? 1 : 0,
        published_at: status === 'draft' ? null : iso(at), updated_at: iso(at), created_at: iso(at - HOUR), canonical_url: null, comments_open: 1, revision: 0,
      })
      authors.push({ article_id: id, user_id: 1 + (k % AUTHORS), position: 0 })
      if (k % 10 === 0) authors.push({ article_id: id, user_id: 1 + ((k + 7) % AUTHORS), position: 1 })
      articleTerms.push({ article_id: id, term_id: 1 + (k % CATEGORIES), position: 0 })
      for (let t = 0; t < 3; t++) articleTerms.push({ article_id: id, term_id: CATEGORIES + 1 + Math.floor(pick() * TAGS), position: t + 1 })
      if (status === 'published') published.push({ id, at })
    }
    // One tag twice on a story is one entry.
    const seen = new Set<string>()
    const terms = articleTerms.filter((r) => !seen.has(`${r.article_id}:${r.term_id}`) && seen.add(`${r.article_id}:${r.term_id}`))
    await db.transaction().execute(async (trx) => {
      await trxInsert(trx, 'articles', articles)
      await trxInsert(trx, 'article_authors', authors)
      await trxInsert(trx, 'article_terms', terms)
    })
  }
  lap(`${ARTICLES.toLocaleString('en')} articles with bylines, sections and tags`)

  await db.transaction().execute(async (trx) => {
    await listings(trx)
    await searchIndex(trx)
  })
  lap('listings, their counts and the search index')

  // Comments: 1,000 on the newest story, half the rest on the hot hundredth, the rest spread evenly.
  const plan = new Map<number, number>()
  if (published.length > 0) plan.set(published[0]!.id, Math.min(1_000, COMMENTS))
  const hot = published.slice(1).filter((_, i) => i % Math.round(1 / HOT_SHARE) === 0)
  const rest = COMMENTS - (plan.get(published[0]?.id ?? 0) ?? 0)
  const spread = (share: number, over: { id: number }[]) => {
    if (over.length === 0) return
    const each = Math.floor(share / over.length)
    let extra = share - each * over.length
    for (const a of over) plan.set(a.id, (plan.get(a.id) ?? 0) + each + (extra-- > 0 ? 1 : 0))
  }
  spread(Math.floor(rest / 2), hot)
  spread(rest - Math.floor(rest / 2), published.slice(1))
  const when = new Map(published.map((a) => [a.id, a.at]))
  let id = 0
  let batch: Record<string, unknown>[] = []
  const flush = async () => {
    await db.transaction().execute((trx) => trxInsert(trx, 'comments', batch))
    batch = []
  }
  // Oldest story first, so comment ids too grow with time.
  for (const [articleId, n] of [...plan].sort((a, b) => when.get(a[0])! - when.get(b[0])!)) {
    const at = when.get(articleId)!
    const first = id + 1
    for (let c = 0; c < n; c++) {
      id++
      const roll = pick()
      const status = roll < 0.85 ? 'approved' : roll < 0.95 ? 'pending' : roll < 0.98 ? 'spam' : 'trash'
      const reader = Math.floor(pick() * 50_000)
      const text = draw(commentPool)
      const created = Math.min(now - 60_000, at + (c + 1) * 60_000)
      batch.push({
        id, article_id: articleId, parent_id: c > 0 && pick() < 0.2 ? first + Math.floor(pick() * c) : null, author_name: `Reader ${reader}`,
        author_email: `reader${reader}@mail.example`, author_url: '', ...network(reader, c, created),
        content_markdown: text, content_html: `<p>${text}</p>`, status, reasons: '[]', spam_score: status === 'spam' ? 0.97 : 0.05, notify_replies: 0, created_at: iso(created),
      })
      if (batch.length === 20_000) await flush()
      if (id % 250_000 === 0) lap(`${id.toLocaleString('en')} comments`)
    }
  }
  if (batch.length) await flush()
  if (id % 250_000 !== 0) lap(`${id.toLocaleString('en')} comments`)

  // The page cache's change log (written by triggers) says nothing to a server not started yet.
  await db.deleteFrom('invalidations').execute()
  if (postgres) {
    for (const table of ['users', 'terms', 'articles', 'comments']) await sql`select setval(pg_get_serial_sequence(${table}, 'id'), coalesce((select max(id) from ${sql.table(table)}), 1))`.execute(db)
    await sql`analyze`.execute(db)
  } else {
    await sql`analyze`.execute(db)
  }
  lap(postgres ? 'sequences moved on, analyze' : 'analyze')
}

/**
 * What a comment keeps of its writer's connection on a site that has been running: the address
 * and user agent while they are within the retention periods (the defaults: 30 and 14 days), the
 * address's network afterwards, as the retention sweeps leave it. A seeded archive is then in the
 * steady state, not a first start with a million addresses to anonymise.
 */
function network(reader: number, c: number, created: number): { author_ip: string; ip_anonymised: number; user_agent: string | null } {
  const ip = `10.${reader % 256}.${(reader >> 8) % 256}.${c % 250}`
  const age = Date.now() - created
  return age < 30 * 24 * HOUR ? { author_ip: ip, ip_anonymised: 0, user_agent: age < 14 * 24 * HOUR ? 'Mozilla/5.0' : null } : { author_ip: anonymiseIp(ip), ip_anonymised: 1, user_agent: null }
}

async function trxInsert(trx: DB, table: string, rows: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) await trx.insertInto(table as never).values(rows.slice(i, i + BATCH) as never).execute()
}

/** The site's lists with each entry's position (1 for the oldest) and their counts, as saving each story would have left them. */
async function listings(trx: DB): Promise<void> {
  const listed = sql`a.status in ('published', 'scheduled') and a.kind = 'post' and a.published_at is not null`
  await sql`insert into article_listings (list_kind, list_id, published_at, article_id, sticky, position)
    select list_kind, list_id, published_at, article_id, sticky, row_number() over (partition by list_kind, list_id order by published_at, article_id)
    from (
      select 'site' as list_kind, 0 as list_id, a.published_at, a.id as article_id, a.sticky from articles a where ${listed}
      union all select 'sticky', 0, a.published_at, a.id, a.sticky from articles a where ${listed} and a.sticky = 1
      union all select 'unsticky', 0, a.published_at, a.id, a.sticky from articles a where ${listed} and a.sticky = 0
      union all select 'term', t.term_id, a.published_at, a.id, a.sticky from articles a join article_terms t on t.article_id = a.id where ${listed}
      union all select 'author', w.user_id, a.published_at, a.id, a.sticky from articles a join article_authors w on w.article_id = a.id where ${listed}
    ) entries`.execute(trx)
  await sql`insert into article_listing_counts (list_kind, list_id, n) select list_kind, list_id, count(*) from article_listings group by list_kind, list_id`.execute(trx)
}

/** Every story in the full-text index, in the site's language (English), as saving it would. */
async function searchIndex(trx: DB): Promise<void> {
  if (postgres) {
    await sql`insert into article_search (article_id, title, standfirst, body, document)
      select id, title, standfirst, body_markdown,
        setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', standfirst), 'B') || setweight(to_tsvector('english', body_markdown), 'C')
          || array_to_tsvector(array['#' || (id / 1000)]) -- the block of ids, as search-store.ts's put() writes it
      from articles`.execute(trx)
  } else {
    await sql`insert into article_search (rowid, title, standfirst, body) select id, title, standfirst, body_markdown from articles`.execute(trx)
  }
}
