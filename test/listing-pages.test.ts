import assert from 'node:assert/strict'
import { describe, test, type TestContext } from 'node:test'
import { articlesService, listByAuthor, listByTerm, listPublished, saveArticle } from '../src/articles/articles.ts'
import { relist } from '../src/articles/listing-store.ts'
import { migrateToLatest, type Storage } from '../src/storage/database.ts'
import { DIALECTS, type Dialect } from './support/dialects.ts'
import { freshStorage } from './support/test-site.ts'

const PER_PAGE = 4
const DAY = 86_400_000

/** An empty, migrated database of this engine for the test. */
async function migratedStorage(ctx: TestContext, dialect: Dialect): Promise<Storage> {
  const storage = await freshStorage(ctx, dialect)
  await migrateToLatest(storage.db)
  return storage
}

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number) {
  let s = seed >>> 0
  return (n: number) => {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0
    return s % n
  }
}

/** What readers should see, worked out the slow way from the articles themselves. */
async function naive(storage: Storage, now: Date, filter: { tag?: string; author?: string; stickyFirst?: boolean }): Promise<string[]> {
  let q = storage.db
    .selectFrom('articles')
    .select(['articles.title', 'articles.sticky'])
    .where('articles.kind', '=', 'post')
    .where('articles.status', 'in', ['published', 'scheduled'])
    .where('articles.published_at', '<=', now.toISOString())
  if (filter.tag) q = q.where('articles.id', 'in', storage.db.selectFrom('article_terms').innerJoin('terms', 'terms.id', 'article_terms.term_id').select('article_terms.article_id').where('terms.slug', '=', filter.tag))
  if (filter.author) q = q.where('articles.id', 'in', storage.db.selectFrom('article_authors').innerJoin('users', 'users.id', 'article_authors.user_id').select('article_authors.article_id').where('users.slug', '=', filter.author))
  const rows = await q.orderBy('articles.published_at', 'desc').orderBy('articles.id', 'desc').execute()
  if (!filter.stickyFirst) return rows.map((r) => r.title)
  return [...rows.filter((r) => Number(r.sticky) === 1), ...rows.filter((r) => Number(r.sticky) !== 1)].map((r) => r.title)
}

/** Every page of a listing, read the way the site reads it, until past the last. */
async function allPages(read: (page: number) => Promise<{ articles: readonly { title: string }[]; pages: number; total: number } | undefined>) {
  const first = await read(1)
  if (!first) return { titles: [], total: 0, sizes: [] }
  const pages = [first]
  for (let p = 2; p <= first.pages; p++) pages.push((await read(p))!)
  const beyond = await read(first.pages + 1)
  assert.equal(beyond?.articles.length ?? 0, 0, 'the page after the last is empty (a 404 for readers)')
  return { titles: pages.flatMap((p) => p.articles.map((a) => a.title)), total: first.total, sizes: pages.map((p) => p.articles.length) }
}

for (const dialect of DIALECTS) {
  describe(`listing pages on ${dialect}`, () => {
    test('every page of every list matches the naive order across publishing, withdrawing, backdating and scheduling', async (ctx) => {
      const storage = await migratedStorage(ctx, dialect)
      const db = storage.db
      let now = new Date('2026-11-20T12:00:00Z')
      const service = articlesService(db, () => now)
      const pick = random(dialect === 'sqlite' ? 16 : 61)
      const tags = ['flooding', 'budget']
      const authors = ['Tom Reyes', 'Ann Desk']
      const ids: number[] = []
      let made = 0
      const publishNew = async (publishedAt: Date) => {
        const title = `Story ${++made}`
        const saved = await saveArticle(db, { title, tags: [tags[pick(2)]!], authors: [authors[pick(2)]!], publishedAt }, now)
        ids.push(saved.article.id)
      }
      const check = async (step: string) => {
        const checks = [
          { name: 'front page', filter: { stickyFirst: true }, read: (p: number) => listPublished(db, p, PER_PAGE, now, { stickyFirst: true }) },
          { name: 'content API list', filter: {}, read: (p: number) => listPublished(db, p, PER_PAGE, now) },
          ...tags.map((tag) => ({ name: `tag ${tag}`, filter: { tag }, read: (p: number) => listByTerm(db, 'tag', tag, p, PER_PAGE, now) })),
          ...['tom-reyes', 'ann-desk'].map((author) => ({ name: `author ${author}`, filter: { author }, read: (p: number) => listByAuthor(db, author, p, PER_PAGE, now) })),
        ]
        for (const c of checks) {
          const expected = await naive(storage, now, c.filter)
          const got = await allPages(c.read)
          assert.deepEqual(got.titles, expected, `${step}: the ${c.name}'s pages show the stories in the order readers expect`)
          assert.equal(got.total, expected.length, `${step}: the ${c.name} counts what readers can see`)
          assert.ok(got.sizes.slice(0, -1).every((n) => n === PER_PAGE), `${step}: every page of the ${c.name} but the last is full (${got.sizes})`)
        }
      }

      for (let i = 0; i < 30; i++) await publishNew(new Date(now.getTime() - (30 - i) * DAY))
      // Two stories share a second: the id breaks the tie, as in the naive order.
      await publishNew(new Date(now.getTime() - 5 * DAY))
      await check('after the first stories')

      for (let step = 0; step < 40; step++) {
        const id = ids[pick(ids.length)]!
        const title = (await db.selectFrom('articles').select('title').where('id', '=', id).executeTakeFirstOrThrow()).title
        const kind = pick(7)
        if (kind === 0) {
          now = new Date(now.getTime() + 3_600_000)
          await publishNew(now)
        } else if (kind === 1) {
          await saveArticle(db, { id, title, status: 'draft' }, now)
        } else if (kind === 2) {
          await saveArticle(db, { id, title, status: 'published', publishedAt: new Date(now.getTime() - pick(60) * DAY - pick(1000) * 1000) }, now)
        } else if (kind === 3) {
          await saveArticle(db, { id, title, status: 'published', publishedAt: new Date(now.getTime() + (1 + pick(48)) * 3_600_000) }, now)
        } else if (kind === 4) {
          await db.updateTable('articles').set({ sticky: pick(2) }).where('id', '=', id).execute()
          await relist(db, id)
        } else if (kind === 5) {
          await saveArticle(db, { id, title, tags: [tags[pick(2)]!], authors: [authors[pick(2)]!] }, now)
        } else {
          await service.remove(id)
          ids.splice(ids.indexOf(id), 1)
        }
        // Time passes: some scheduled stories come due without being saved again.
        if (pick(4) === 0) now = new Date(now.getTime() + 12 * 3_600_000)
        await check(`step ${step} (change ${kind} on article ${id})`)
      }

      const lists = await db.selectFrom('article_listings').select(['list_kind', 'list_id', 'position']).orderBy('list_kind').orderBy('list_id').orderBy('position').execute()
      const byList = new Map<string, typeof lists>()
      for (const e of lists) byList.set(`${e.list_kind}:${e.list_id}`, [...(byList.get(`${e.list_kind}:${e.list_id}`) ?? []), e])
      for (const [list, entries] of byList) assert.deepEqual(entries.map((e) => Number(e.position)), entries.map((_, i) => i + 1), `${list}'s positions run 1..n with no gap`)
    })

    test('saves at the same moment keep every list in order', async (ctx) => {
      const storage = await migratedStorage(ctx, dialect)
      const db = storage.db
      const now = new Date('2026-11-20T12:00:00Z')
      const older = []
      for (let i = 0; i < 10; i++) older.push((await saveArticle(db, { title: `Earlier ${i}`, tags: ['Budget'], publishedAt: new Date(now.getTime() - (i + 1) * DAY) }, now)).article)
      // New stories, backdated ones and withdrawals of the same lists, all at once (PostgreSQL runs them side by side).
      await Promise.all([
        ...Array.from({ length: 8 }, (_, i) => saveArticle(db, { title: `Meanwhile ${i}`, tags: ['Budget'], publishedAt: new Date(now.getTime() - i * 3_600_000 - pickHours(i)) }, now)),
        ...older.slice(0, 4).map((a) => saveArticle(db, { id: a.id, title: a.title, tags: ['Budget'], status: 'draft' }, now)),
        ...older.slice(4, 8).map((a, i) => saveArticle(db, { id: a.id, title: a.title, tags: ['Budget'], publishedAt: new Date(now.getTime() - (40 + i) * DAY) }, now)),
      ])
      for (const [name, read, filter] of [
        ['site list', (p: number) => listPublished(db, p, PER_PAGE, now), {}],
        ['tag list', (p: number) => listByTerm(db, 'tag', 'budget', p, PER_PAGE, now), { tag: 'budget' }],
      ] as const) {
        const expected = await naive(storage, now, filter)
        const got = await allPages(read)
        assert.deepEqual(got.titles, expected, `the ${name} is in order after saves at the same moment`)
        assert.equal(got.total, 14)
      }
    })
  })
}

/** Some minutes, so that stories saved at once do not share a second. */
function pickHours(i: number): number {
  return (i * 17 % 60) * 60_000
}
