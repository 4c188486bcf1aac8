/**
 * @module The articles module's listings: one narrow entry per list an article is in, in the
 * order pages show them (newest first), and a maintained count per list. A page of any list is
 * a walk along one index that never touches the articles' rows, and its total is one row read
 * (less the few entries dated in the future), so neither grows with the archive.
 */
import type { Kysely, Transaction } from 'kysely'
import type { ArticleListingsTable, Database } from '../storage/schema.ts'
import { READER_STATUSES } from './article-store.ts'

type Q = Kysely<Database> | Transaction<Database>

/** A list: the whole site, its sticky stories, a term's or an author's stories. */
export interface ListRef {
  readonly kind: ArticleListingsTable['list_kind']
  /** The term's or author's id; 0 for the site-wide lists. */
  readonly id: number
}

export const SITE_LIST: ListRef = Object.freeze({ kind: 'site', id: 0 })
export const STICKY_LIST: ListRef = Object.freeze({ kind: 'sticky', id: 0 })

type Entry = ListRef & { readonly publishedAt: string; readonly sticky: number }
const keyOf = (l: ListRef) => `${l.kind}:${l.id}`

/** The lists an article belongs in as it is stored now: none unless readers may list it (a post, published or scheduled, with a date). */
async function wantedEntries(q: Q, articleId: number): Promise<Entry[]> {
  const row = await q.selectFrom('articles').select(['status', 'kind', 'published_at', 'sticky']).where('id', '=', articleId).executeTakeFirst()
  if (!row || row.kind !== 'post' || row.published_at === null || !(READER_STATUSES as readonly string[]).includes(row.status)) return []
  const [terms, authors] = await Promise.all([
    q.selectFrom('article_terms').select('term_id').where('article_id', '=', articleId).execute(),
    q.selectFrom('article_authors').select('user_id').where('article_id', '=', articleId).execute(),
  ])
  const at = { publishedAt: row.published_at, sticky: row.sticky }
  return [
    { ...SITE_LIST, ...at },
    ...(row.sticky === 1 ? [{ ...STICKY_LIST, ...at }] : []),
    ...terms.map((t) => ({ kind: 'term' as const, id: t.term_id, ...at })),
    ...authors.map((a) => ({ kind: 'author' as const, id: a.user_id, ...at })),
  ]
}

/**
 * Brings an article's entries, and the counts of the lists it joins or leaves, in line with the
 * article, its terms and its bylines as stored now. Call it in the transaction that changed them.
 * @example
 * await db.transaction().execute(async (trx) => { await updateArticle(trx, id, row); await relist(trx, id) })
 */
export async function relist(q: Q, articleId: number): Promise<void> {
  const [wanted, existing] = await Promise.all([
    wantedEntries(q, articleId),
    q.selectFrom('article_listings').select(['list_kind', 'list_id', 'published_at', 'sticky']).where('article_id', '=', articleId).execute(),
  ])
  const had = new Map(existing.map((e) => [keyOf({ kind: e.list_kind, id: e.list_id }), e]))
  const wants = new Map(wanted.map((e) => [keyOf(e), e]))
  const same = wanted.length === existing.length && wanted.every((w) => {
    const e = had.get(keyOf(w))
    return e !== undefined && e.published_at === w.publishedAt && e.sticky === w.sticky
  })
  if (same) return
  await q.deleteFrom('article_listings').where('article_id', '=', articleId).execute()
  if (wanted.length > 0) {
    await q
      .insertInto('article_listings')
      .values(wanted.map((w) => ({ list_kind: w.kind, list_id: w.id, published_at: w.publishedAt, article_id: articleId, sticky: w.sticky })))
      .execute()
  }
  for (const e of existing) if (!wants.has(keyOf({ kind: e.list_kind, id: e.list_id }))) await addToCount(q, { kind: e.list_kind, id: e.list_id }, -1)
  for (const w of wanted) if (!had.has(keyOf(w))) await addToCount(q, w, 1)
}

/** Removes an article from every list (before it is deleted). */
export async function unlist(q: Q, articleId: number): Promise<void> {
  const existing = await q.selectFrom('article_listings').select(['list_kind', 'list_id']).where('article_id', '=', articleId).execute()
  await q.deleteFrom('article_listings').where('article_id', '=', articleId).execute()
  for (const e of existing) await addToCount(q, { kind: e.list_kind, id: e.list_id }, -1)
}

async function addToCount(q: Q, list: ListRef, delta: number): Promise<void> {
  await q
    .insertInto('article_listing_counts')
    .values({ list_kind: list.kind, list_id: list.id, n: delta })
    .onConflict((oc) => oc.columns(['list_kind', 'list_id']).doUpdateSet((eb) => ({ n: eb('article_listing_counts.n', '+', delta) })))
    .execute()
}

function inLists(q: Q, lists: readonly ListRef[]) {
  const [first] = lists
  const query = q.selectFrom('article_listings').where('list_kind', '=', first!.kind)
  return lists.length === 1 ? query.where('list_id', '=', first!.id) : query.where('list_id', 'in', lists.map((l) => l.id))
}

/**
 * How many stories readers see in these lists now (several lists: a category with its
 * sub-categories; all of one kind). One list: its count less its entries dated after `now`.
 */
export async function countListed(q: Q, lists: readonly ListRef[], now: string): Promise<number> {
  if (lists.length > 1) {
    const row = await inLists(q, lists)
      .select((eb) => eb.fn.count<number | string>('article_id').distinct().as('n'))
      .where('published_at', '<=', now)
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }
  const list = lists[0]!
  const [counted, future] = await Promise.all([
    q.selectFrom('article_listing_counts').select('n').where('list_kind', '=', list.kind).where('list_id', '=', list.id).executeTakeFirst(),
    inLists(q, lists).select((eb) => eb.fn.countAll<number | string>().as('n')).where('published_at', '>', now).executeTakeFirstOrThrow(),
  ])
  return Number(counted?.n ?? 0) - Number(future.n)
}

export interface ListPage {
  readonly lists: readonly ListRef[]
  readonly now: string
  readonly limit: number
  readonly offset: number
  /** Leave sticky stories out (the front page shows them first, from their own list). */
  readonly skipSticky?: boolean
}

/** The ids of one page of these lists, newest first (a walk along the list's index). */
export async function listedIds(q: Q, page: ListPage): Promise<number[]> {
  if (page.limit <= 0) return []
  let query = inLists(q, page.lists).select(['article_id', 'published_at']).where('published_at', '<=', page.now)
  if (page.skipSticky) query = query.where('sticky', '=', 0)
  // An article in a category and its sub-category is listed once.
  if (page.lists.length > 1) query = query.groupBy(['article_id', 'published_at'])
  const rows = await query.orderBy('published_at', 'desc').orderBy('article_id', 'desc').limit(page.limit).offset(page.offset).execute()
  return rows.map((r) => r.article_id)
}
