/**
 * @module The search module's SQL: the full-text index of articles, in the engine's own way
 * (FTS5 or tsvector), chosen once by the storage capability — the rest of the module never asks.
 * User text only ever reaches the database as a parameter.
 */
import { sql } from 'kysely'
import type { DB, StorageCapabilities } from '../storage/database.ts'

export interface IndexedArticle {
  readonly id: number
  readonly title: string
  readonly standfirst: string
  /** Plain text. */
  readonly body: string
}

export interface Hit {
  readonly id: number
  /** Plain text with the matched words between MARK_START and MARK_END. */
  readonly snippet: string
}

/** Marks around matched words in snippets; control characters, so no text can contain them. */
export const MARK_START = '\u0002'
export const MARK_END = '\u0003'

/**
 * Only the newest this many matches are ranked: a query for a common word costs the same in an
 * archive of a million stories as in one of a thousand, and news readers want recent stories
 * among the relevant ones anyway.
 */
export const RANKED_WINDOW = 300

export interface SearchStore {
  put(q: DB, article: IndexedArticle, language: string): Promise<void>
  /** Drops a deleted article's entry (FTS5 has no foreign keys to do it). */
  remove(q: DB, articleId: number): Promise<void>
  /**
   * Visible articles matching, best first, among the newest RANKED_WINDOW matches; `total` counts
   * the visible ones in that window, and `more` says that older matches were left out.
   */
  find(q: DB, query: string, language: string, now: string, limit: number, offset: number): Promise<{ hits: Hit[]; total: number; more: boolean }>
}

export function searchStore(capabilities: StorageCapabilities): SearchStore {
  return capabilities.fullText === 'fts5' ? fts5 : tsvector
}

const visible = (now: string) => sql`a.status in ('published', 'scheduled') and a.published_at <= ${now}`

const fts5: SearchStore = {
  async put(q, a) {
    await sql`delete from article_search where rowid = ${a.id}`.execute(q)
    await sql`insert into article_search (rowid, title, standfirst, body) values (${a.id}, ${a.title}, ${a.standfirst}, ${a.body})`.execute(q)
  },
  async remove(q, articleId) {
    await sql`delete from article_search where rowid = ${articleId}`.execute(q)
  },
  async find(q, query, _language, now, limit, offset) {
    // The window's oldest id: FTS5 walks a term's entries newest first and stops there.
    const edge = await sql<{ id: number }>`
      select rowid as id from article_search where article_search match ${query} order by rowid desc limit 2 offset ${RANKED_WINDOW - 1}`.execute(q)
    const from = edge.rows[0]?.id ?? 0
    // Title counts most, then the standfirst, then the body (bm25: lower is better). Rank first,
    // with the count alongside; snippets (the costly part) only for the page's rows.
    const ranked = await sql<{ id: number; total: number }>`
      select id, count(*) over () as total from (
        select s.rowid as id, bm25(article_search, 10.0, 4.0, 1.0) as rank, a.published_at
        from article_search s join articles a on a.id = s.rowid
        where article_search match ${query} and s.rowid >= ${from} and ${visible(now)}
      )
      order by rank, published_at desc
      limit ${limit} offset ${offset}`.execute(q)
    const ids = ranked.rows.map((r) => Number(r.id))
    const snippets = ids.length
      ? await sql<{ id: number; snippet: string }>`
          select rowid as id, snippet(article_search, -1, ${MARK_START}, ${MARK_END}, '…', 24) as snippet
          from article_search where article_search match ${query} and rowid in (${sql.join(ids)})`.execute(q)
      : { rows: [] }
    const total = ranked.rows[0] ? Number(ranked.rows[0].total) : offset > 0 ? await fts5Count(q, query, from, now) : 0
    return {
      hits: ids.map((id) => ({ id, snippet: snippets.rows.find((r) => Number(r.id) === id)?.snippet ?? '' })),
      total,
      more: edge.rows.length > 1,
    }
  },
}

async function fts5Count(q: DB, query: string, from: number, now: string): Promise<number> {
  const count = await sql<{ n: number }>`
    select count(*) as n from article_search s join articles a on a.id = s.rowid
    where article_search match ${query} and s.rowid >= ${from} and ${visible(now)}`.execute(q)
  return Number(count.rows[0]?.n ?? 0)
}

const tsvector: SearchStore = {
  async put(q, a, language) {
    await sql`
      insert into article_search (article_id, title, standfirst, body, document)
      values (${a.id}, ${a.title}, ${a.standfirst}, ${a.body}, ${weighted(language, a)})
      on conflict (article_id) do update set title = excluded.title, standfirst = excluded.standfirst, body = excluded.body, document = excluded.document`.execute(q)
  },
  async remove(q, articleId) {
    await sql`delete from article_search where article_id = ${articleId}`.execute(q)
  },
  async find(q, query, language, now, limit, offset) {
    const config = sql`${language}::regconfig`
    const tsquery = sql`websearch_to_tsquery(${config}, ${query})`
    const { from, more } = await tsvectorWindow(q, tsquery)
    // Rank the window, then page it; headlines (the costly part) only for the page's rows.
    const hits = await sql<{ id: number; snippet: string; total: string }>`
      with ranked as (
        select s.article_id, ts_rank_cd(s.document, ${tsquery}) as rank, a.published_at
        from article_search s join articles a on a.id = s.article_id
        where s.document @@ ${tsquery} and s.article_id >= ${from} and ${visible(now)}
      ), page as (
        select article_id, rank, published_at, count(*) over () as total from ranked order by rank desc, published_at desc limit ${limit} offset ${offset}
      )
      select page.article_id as id, page.total,
        ts_headline(${config}, s.standfirst || ' ' || s.body, ${tsquery},
          ${`StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`}) as snippet
      from page join article_search s on s.article_id = page.article_id
      order by page.rank desc, page.published_at desc`.execute(q)
    const total = hits.rows[0] ? Number(hits.rows[0].total) : offset > 0 ? await tsvectorCount(q, tsquery, from, now) : 0
    return { hits: hits.rows.map((r) => ({ id: Number(r.id), snippet: r.snippet })), total, more }
  },
}

/**
 * The oldest id of the newest RANKED_WINDOW matches. A GIN index yields matches in no order, so
 * the newest ones are looked for among recent ids first (the index and the id range combine, and
 * only rows in the range are read), widening only when there are too few: a common word reads a
 * few thousand rows, a rare one has few matches to read anyway.
 */
async function tsvectorWindow(q: DB, tsquery: ReturnType<typeof sql>): Promise<{ from: number; more: boolean }> {
  const newest = Number((await sql<{ id: number | null }>`select max(article_id) as id from article_search`.execute(q)).rows[0]?.id ?? 0)
  for (const span of [5 * RANKED_WINDOW, 50 * RANKED_WINDOW, Infinity]) {
    const above = span === Infinity ? 0 : newest - span
    const edge = await sql<{ id: number }>`
      select article_id as id from article_search where document @@ ${tsquery} and article_id > ${Math.max(0, above)}
      order by article_id desc limit 2 offset ${RANKED_WINDOW - 1}`.execute(q)
    if (edge.rows[0]) return { from: Number(edge.rows[0].id), more: edge.rows.length > 1 || above > 0 }
    if (above <= 0) break
  }
  return { from: 0, more: false }
}

async function tsvectorCount(q: DB, tsquery: ReturnType<typeof sql>, from: number, now: string): Promise<number> {
  const count = await sql<{ n: string }>`
    select count(*) as n from article_search s join articles a on a.id = s.article_id
    where s.document @@ ${tsquery} and s.article_id >= ${from} and ${visible(now)}`.execute(q)
  return Number(count.rows[0]?.n ?? 0)
}

function weighted(language: string, a: IndexedArticle) {
  const config = sql`${language}::regconfig`
  return sql`setweight(to_tsvector(${config}, ${a.title}), 'A') || setweight(to_tsvector(${config}, ${a.standfirst}), 'B') || setweight(to_tsvector(${config}, ${a.body}), 'C')`
}
