/**
 * @module The articles module's listings: one narrow entry per list an article is in, with its
 * position in that list (1 for the oldest, no gaps), and a maintained count per list. A page of
 * one list is a range of positions read along one index that never touches the articles' rows,
 * and its total is one row read (less the few entries dated in the future), so neither the first
 * page nor the 500th grows with the archive.
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
/** The site's stories that are not sticky: the front page's after its sticky ones. */
export const UNSTICKY_LIST: ListRef = Object.freeze({ kind: 'unsticky', id: 0 })

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
    row.sticky === 1 ? { ...STICKY_LIST, ...at } : { ...UNSTICKY_LIST, ...at },
    ...terms.map((t) => ({ kind: 'term' as const, id: t.term_id, ...at })),
    ...authors.map((a) => ({ kind: 'author' as const, id: a.user_id, ...at })),
  ]
}

/**
 * Brings an article's entries, their lists' positions and the counts of the lists it joins or
 * leaves in line with the article, its terms and its bylines as stored now. Call it in the
 * transaction that changed them. A story published now goes on the end of its lists and moves
 * nothing; a backdated, re-dated or withdrawn one moves the newer entries of its lists by one.
 * @example
 * await db.transaction().execute(async (trx) => { await updateArticle(trx, id, row); await relist(trx, id) })
 */
export async function relist(q: Q, articleId: number): Promise<void> {
  const [wanted, existing] = await Promise.all([
    wantedEntries(q, articleId),
    q.selectFrom('article_listings').select(['list_kind', 'list_id', 'published_at', 'sticky', 'position']).where('article_id', '=', articleId).execute(),
  ])
  const had = new Map(existing.map((e) => [keyOf({ kind: e.list_kind, id: e.list_id }), e]))
  const wants = new Map(wanted.map((e) => [keyOf(e), e]))
  const leaving = existing.filter((e) => wants.get(keyOf({ kind: e.list_kind, id: e.list_id }))?.publishedAt !== e.published_at)
  const joining = wanted.filter((w) => had.get(keyOf(w))?.published_at !== w.publishedAt)
  // Lists are changed in one order, so two saves on PostgreSQL wait for each other instead of deadlocking.
  const touched = [...new Set([...leaving.map((e) => keyOf({ kind: e.list_kind, id: e.list_id })), ...joining.map(keyOf)])].sort()
  for (const key of touched) {
    for (const e of leaving) if (keyOf({ kind: e.list_kind, id: e.list_id }) === key) await takeOut(q, { kind: e.list_kind, id: e.list_id }, articleId)
    for (const w of joining) if (keyOf(w) === key) await putIn(q, w, articleId)
  }
  for (const w of wanted) {
    const e = had.get(keyOf(w))
    if (e && e.published_at === w.publishedAt && e.sticky !== w.sticky) await inList(q, w).set({ sticky: w.sticky }).where('article_id', '=', articleId).execute()
  }
}

/** Removes an article from every list (before it is deleted). */
export async function unlist(q: Q, articleId: number): Promise<void> {
  const existing = await q.selectFrom('article_listings').select(['list_kind', 'list_id']).where('article_id', '=', articleId).execute()
  const lists = existing.map((e) => ({ kind: e.list_kind, id: e.list_id })).sort((a, b) => keyOf(a).localeCompare(keyOf(b)))
  for (const list of lists) await takeOut(q, list, articleId)
}

/** An UPDATE of one list's entries. */
function inList(q: Q, list: ListRef) {
  return q.updateTable('article_listings').where('list_kind', '=', list.kind).where('list_id', '=', list.id)
}

/** Takes an article's entry out of a list and closes the gap behind it. */
async function takeOut(q: Q, list: ListRef, articleId: number): Promise<void> {
  // The count first: on PostgreSQL its row lock makes the list's other writers wait their turn.
  await addToCount(q, list, -1)
  const gone = await q
    .deleteFrom('article_listings')
    .where('list_kind', '=', list.kind)
    .where('list_id', '=', list.id)
    .where('article_id', '=', articleId)
    .returning('position')
    .executeTakeFirst()
  if (gone) await inList(q, list).set((eb) => ({ position: eb('position', '-', 1) })).where('position', '>', gone.position).execute()
}

/** Puts an entry in its place in a list, moving the newer entries up by one. */
async function putIn(q: Q, entry: Entry, articleId: number): Promise<void> {
  await addToCount(q, entry, 1)
  const inThisList = q.selectFrom('article_listings').select('position').where('list_kind', '=', entry.kind).where('list_id', '=', entry.id)
  const next = await inThisList
    .where((eb) => eb(eb.refTuple('published_at', 'article_id'), '>', eb.tuple(entry.publishedAt, articleId)))
    .orderBy('published_at')
    .orderBy('article_id')
    .limit(1)
    .executeTakeFirst()
  let position: number
  if (next) {
    position = next.position
    await inList(q, entry).set((eb) => ({ position: eb('position', '+', 1) })).where('position', '>=', position).execute()
  } else {
    const last = await inThisList.orderBy('position', 'desc').limit(1).executeTakeFirst()
    position = (last?.position ?? 0) + 1
  }
  await q.insertInto('article_listings').values({ list_kind: entry.kind, list_id: entry.id, published_at: entry.publishedAt, article_id: articleId, sticky: entry.sticky, position }).execute()
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
  /** How many entries of the list readers see now (`countListed`), when the caller has it already. */
  readonly listed?: number
}

/**
 * The ids of one page of these lists, newest first. One list: the range of positions the page
 * covers (entries dated in the future hold the top positions, past the `listed` ones), so page
 * 500 reads as few entries as page 1. Several lists (a category with its sub-categories) share
 * no positions: that page walks their entries from the newest.
 */
export async function listedIds(q: Q, page: ListPage): Promise<number[]> {
  if (page.limit <= 0) return []
  if (page.lists.length === 1) {
    const listed = page.listed ?? (await countListed(q, page.lists, page.now))
    const top = listed - page.offset
    if (top < 1) return []
    const rows = await inLists(q, page.lists)
      .select('article_id')
      .where('position', '>=', Math.max(1, top - page.limit + 1))
      .where('position', '<=', top)
      .orderBy('position', 'desc')
      .execute()
    return rows.map((r) => r.article_id)
  }
  const rows = await inLists(q, page.lists)
    .select(['article_id', 'published_at'])
    .where('published_at', '<=', page.now)
    // An article in a category and its sub-category is listed once.
    .groupBy(['article_id', 'published_at'])
    .orderBy('published_at', 'desc')
    .orderBy('article_id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute()
  return rows.map((r) => r.article_id)
}
