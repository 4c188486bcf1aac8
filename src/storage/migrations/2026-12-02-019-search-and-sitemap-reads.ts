/**
 * PostgreSQL's search index answers "the newest matches" from the GIN index alone: each document
 * also carries its article's block of ids as a lexeme (`#<id / 1000>`; the text parser never keeps
 * a '#', so no text and no query can make one), the index's pending list is kept small, and the
 * table's rows are narrow (their text and document out of line), so that reading the rows of a
 * few thousand matches touches hundreds of pages, not thousands. SQLite's FTS5 needs none of it.
 *
 * Every row is rewritten once here, which also moves the text out of line (over 100,000 articles
 * on a loaded machine: about four minutes).
 *
 * On both engines, the sitemaps' questions (which blocks of ids and which sections, tags and
 * authors have a live story, and their newest change) find each live story's dates in an index
 * instead of in its row: SQLite reads past a row's body to reach the columns stored after it
 * (1,000 stories with two tags each, without ANALYZE: the tags' question 11 ms, then 6 ms).
 */
import { sql, type Kysely } from 'kysely'
import { isPostgres } from './dialect.ts'

/** Frozen: the block size and lexeme the search store writes and queries (src/search/search-store.ts). */
const ID_BLOCK = 1000

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('articles_visible_dates').on('articles').columns(['status', 'published_at', 'updated_at']).execute()
  if (!isPostgres(db)) return
  // Rows of more than 128 bytes have their long values compressed or moved to TOAST (the default
  // is 2 kB, which kept most of the body in the row: about seven rows to a page).
  await sql`alter table article_search set (toast_tuple_target = 128)`.execute(db)
  // Every row changes: the index is made again afterwards, in one pass (much faster than
  // updating it row by row), with a small pending list: every search reads the list in full, and
  // the default lets it grow to 4 MB before it is merged; turned off instead, each save updates
  // some 200 entries of the index one by one (seeding 100,000 articles: 100 a second instead of 750).
  await sql`drop index article_search_document`.execute(db)
  await sql`update article_search set document = document || array_to_tsvector(array['#' || (article_id / ${sql.lit(ID_BLOCK)})])`.execute(db)
  // The new, narrow rows were written where the old ones left room: packed together again, the
  // rows of 2,400 matches are on 269 pages instead of 630 (EXPLAIN over 100,000 articles: 2.6 ms, was 12.8).
  await sql`cluster article_search using article_search_pkey`.execute(db)
  await sql`create index article_search_document on article_search using gin (document) with (gin_pending_list_limit = 128)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('articles_visible_dates').execute()
  if (!isPostgres(db)) return
  await sql`update article_search set document = ts_delete(document, array['#' || (article_id / ${sql.lit(ID_BLOCK)})])`.execute(db)
  await sql`alter index article_search_document reset (gin_pending_list_limit)`.execute(db)
  await sql`alter table article_search reset (toast_tuple_target)`.execute(db)
}
