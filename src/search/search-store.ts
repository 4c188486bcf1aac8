/**
 * @module The search module's SQL: the full-text index of articles, in the engine's own way
 * (FTS5 or tsvector), chosen once by the storage capability — the rest of the module never asks.
 * User text only ever reaches the database as a parameter.
 */
import { sql, type RawBuilder } from 'kysely'
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
      order by rank, published_at desc, id desc
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
      values (${a.id}, ${a.title}, ${a.standfirst}, ${a.body}, ${weighted(language, a)} || array_to_tsvector(array[${blockLexeme(a.id)}::text]))
      on conflict (article_id) do update set title = excluded.title, standfirst = excluded.standfirst, body = excluded.body, document = excluded.document`.execute(q)
  },
  async remove(q, articleId) {
    await sql`delete from article_search where article_id = ${articleId}`.execute(q)
  },
  async find(q, query, language, now, limit, offset) {
    const config = sql`${language}::regconfig`
    const tsquery = sql`websearch_to_tsquery(${config}, ${query})`
    const { ids, more } = await newestMatches(q, tsquery)
    if (ids.length === 0) return { hits: [], total: 0, more }
    // The whole window is ranked (a few hundred documents, each read once), so the count is exact
    // and every page is cut from the same order; ties go to the newer story, then the higher id.
    const ranked = await sql<{ id: number }>`
      select s.article_id as id from article_search s join articles a on a.id = s.article_id
      where s.article_id = any(${ids}::integer[]) and ${visible(now)}
      order by ts_rank_cd(s.document, ${tsquery}) desc, a.published_at desc, s.article_id desc`.execute(q)
    const page = ranked.rows.slice(offset, offset + limit).map((r) => Number(r.id))
    const snippets = await headlines(q, config, tsquery, page)
    return { hits: page.map((id) => ({ id, snippet: snippets.get(id) ?? '' })), total: ranked.rows.length, more }
  },
}

/**
 * Ids in blocks of this many: each document carries its block as a lexeme (`#12` for ids 12000 to
 * 12999; the text parser never keeps a '#', so no text or query makes one), written by put() and,
 * for the rows that existed, by migration 019, which froze this size.
 */
const ID_BLOCK = 1000
const blockLexeme = (id: number) => `#${Math.floor(id / ID_BLOCK)}`

/** How many of the newest blocks are searched first, widening to the whole archive. */
const RECENT_BLOCKS = [2, 20] as const

/**
 * The ids of the newest RANKED_WINDOW matches, newest first. A GIN index yields matches in no
 * order, so they are looked for among the newest blocks of ids first, widening only when too few
 * are there: a common word finds its window in the newest two thousand ids, a rarer one in the
 * newest twenty thousand, and only a word that rare there is looked up in the whole archive,
 * where it has few matches anyway. The blocks are lexemes of the same index, so every step is
 * one GIN lookup that reads only the rows of matches in those blocks.
 */
async function newestMatches(q: DB, tsquery: RawBuilder<unknown>): Promise<{ ids: number[]; more: boolean }> {
  const newest = Number((await sql<{ id: number | null }>`select max(article_id) as id from article_search`.execute(q)).rows[0]?.id ?? 0)
  const newestBlock = Math.floor(newest / ID_BLOCK)
  for (const blocks of RECENT_BLOCKS) {
    // Blocks 0 to newestBlock are the whole archive: the last step asks the same.
    if (blocks > newestBlock) break
    const recent = Array.from({ length: blocks }, (_, i) => `'${blockLexeme((newestBlock - i) * ID_BLOCK)}'`).join(' | ')
    const found = await matchingIds(q, sql`document @@ ${tsquery} and document @@ ${recent}::tsquery`)
    if (found.length > RANKED_WINDOW) return { ids: found.slice(0, RANKED_WINDOW), more: true }
  }
  const found = await matchingIds(q, sql`document @@ ${tsquery}`)
  return { ids: found.slice(0, RANKED_WINDOW), more: found.length > RANKED_WINDOW }
}

/**
 * Up to RANKED_WINDOW + 1 matching ids, newest first. The matches are taken from the GIN index
 * before they are ordered (a materialized CTE): asked for them in id order, the planner walks the
 * primary key backwards testing each row's document, which it counts as cheap but which is read
 * from TOAST and unpacked (EXPLAIN ANALYZE over 100,000 articles: 18,000 rows tested, 90 ms, for
 * a word in 1,600 of them).
 */
async function matchingIds(q: DB, condition: RawBuilder<unknown>): Promise<number[]> {
  const rows = await sql<{ id: number }>`
    with matches as materialized (select article_id from article_search where ${condition})
    select article_id as id from matches order by article_id desc limit ${RANKED_WINDOW + 1}`.execute(q)
  return rows.rows.map((r) => Number(r.id))
}

/**
 * Snippets are made from the standfirst and the start of the body: ts_headline parses all the
 * text it is given, and the words a story is found by are nearly always near its start. A story
 * whose excerpt holds none of them (the match is further down) gets its snippet from the whole text.
 */
const EXCERPT_CHARS = 3000
const HEADLINE_OPTIONS = `StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`

async function headlines(q: DB, config: RawBuilder<unknown>, tsquery: RawBuilder<unknown>, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map()
  // left() of the body alone: PostgreSQL then unpacks only the start of a long one.
  const excerpts = await sql<{ id: number; snippet: string; cut: boolean }>`
    select article_id as id, octet_length(standfirst) + 1 + octet_length(body) > ${EXCERPT_CHARS} as cut,
      ts_headline(${config}, left(standfirst || ' ' || left(body, ${EXCERPT_CHARS}), ${EXCERPT_CHARS}), ${tsquery}, ${HEADLINE_OPTIONS}) as snippet
    from article_search where article_id = any(${ids}::integer[])`.execute(q)
  const snippets = new Map(excerpts.rows.map((r) => [Number(r.id), r.snippet]))
  const further = excerpts.rows.filter((r) => r.cut && !r.snippet.includes(MARK_START)).map((r) => Number(r.id))
  if (further.length) {
    const whole = await sql<{ id: number; snippet: string }>`
      select article_id as id, ts_headline(${config}, standfirst || ' ' || body, ${tsquery}, ${HEADLINE_OPTIONS}) as snippet
      from article_search where article_id = any(${further}::integer[])`.execute(q)
    for (const r of whole.rows) snippets.set(Number(r.id), r.snippet)
  }
  return snippets
}

function weighted(language: string, a: IndexedArticle) {
  const config = sql`${language}::regconfig`
  return sql`setweight(to_tsvector(${config}, ${a.title}), 'A') || setweight(to_tsvector(${config}, ${a.standfirst}), 'B') || setweight(to_tsvector(${config}, ${a.body}), 'C')`
}
