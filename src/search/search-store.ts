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

export interface SearchStore {
  put(q: DB, article: IndexedArticle, language: string): Promise<void>
  /** Visible articles matching, best first; `query` is the engine's query (see search.ts). */
  find(q: DB, query: string, language: string, now: string, limit: number, offset: number): Promise<{ hits: Hit[]; total: number }>
}

export function searchStore(capabilities: StorageCapabilities): SearchStore {
  return capabilities.fullText === 'fts5' ? fts5 : tsvector
}

const visible = (now: string) => sql`a.status <> 'draft' and a.published_at <= ${now}`

const fts5: SearchStore = {
  async put(q, a) {
    await sql`delete from article_search where rowid = ${a.id}`.execute(q)
    await sql`insert into article_search (rowid, title, standfirst, body) values (${a.id}, ${a.title}, ${a.standfirst}, ${a.body})`.execute(q)
  },
  async find(q, query, _language, now, limit, offset) {
    // Title counts most, then the standfirst, then the body (bm25: lower is better).
    const hits = await sql<{ id: number; snippet: string }>`
      select s.rowid as id, snippet(article_search, -1, ${MARK_START}, ${MARK_END}, '…', 24) as snippet
      from article_search s join articles a on a.id = s.rowid
      where article_search match ${query} and ${visible(now)}
      order by bm25(article_search, 10.0, 4.0, 1.0), a.published_at desc
      limit ${limit} offset ${offset}`.execute(q)
    const count = await sql<{ n: number }>`
      select count(*) as n from article_search s join articles a on a.id = s.rowid
      where article_search match ${query} and ${visible(now)}`.execute(q)
    return { hits: hits.rows.map((r) => ({ id: Number(r.id), snippet: r.snippet })), total: Number(count.rows[0]?.n ?? 0) }
  },
}

const tsvector: SearchStore = {
  async put(q, a, language) {
    await sql`
      insert into article_search (article_id, title, standfirst, body, document)
      values (${a.id}, ${a.title}, ${a.standfirst}, ${a.body}, ${weighted(language, a)})
      on conflict (article_id) do update set title = excluded.title, standfirst = excluded.standfirst, body = excluded.body, document = excluded.document`.execute(q)
  },
  async find(q, query, language, now, limit, offset) {
    const config = sql`${language}::regconfig`
    // Rank and page first; headlines (the costly part) only for the page's rows.
    const hits = await sql<{ id: number; snippet: string }>`
      select page.article_id as id,
        ts_headline(${config}, s.standfirst || ' ' || s.body, websearch_to_tsquery(${config}, ${query}),
          ${`StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`}) as snippet
      from (
        select s.article_id, ts_rank_cd(s.document, websearch_to_tsquery(${config}, ${query})) as rank, a.published_at
        from article_search s join articles a on a.id = s.article_id
        where s.document @@ websearch_to_tsquery(${config}, ${query}) and ${visible(now)}
        order by rank desc, a.published_at desc
        limit ${limit} offset ${offset}
      ) page join article_search s on s.article_id = page.article_id
      order by page.rank desc, page.published_at desc`.execute(q)
    const count = await sql<{ n: string }>`
      select count(*) as n from article_search s join articles a on a.id = s.article_id
      where s.document @@ websearch_to_tsquery(${config}, ${query}) and ${visible(now)}`.execute(q)
    return { hits: hits.rows.map((r) => ({ id: Number(r.id), snippet: r.snippet })), total: Number(count.rows[0]?.n ?? 0) }
  },
}

function weighted(language: string, a: IndexedArticle) {
  const config = sql`${language}::regconfig`
  return sql`setweight(to_tsvector(${config}, ${a.title}), 'A') || setweight(to_tsvector(${config}, ${a.standfirst}), 'B') || setweight(to_tsvector(${config}, ${a.body}), 'C')`
}
