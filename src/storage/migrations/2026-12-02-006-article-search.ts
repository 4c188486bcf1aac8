/**
 * The full-text index of articles: an FTS5 table on SQLite (rowid = article id; Porter stemming
 * over Unicode words, so 'flooding' finds 'flood'), a table with a
 * weighted tsvector and a GIN index on PostgreSQL. Filled by the next migration and kept current
 * by the search module whenever an article is saved.
 */
import { sql, type Kysely } from 'kysely'
import { isPostgres } from './dialect.ts'

export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await db.schema
      .createTable('article_search')
      .addColumn('article_id', 'integer', (c) => c.primaryKey().references('articles.id').onDelete('cascade'))
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('standfirst', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('document', sql`tsvector`, (c) => c.notNull())
      .execute()
    await sql`create index article_search_document on article_search using gin (document)`.execute(db)
    return
  }
  await sql`create virtual table article_search using fts5(title, standfirst, body, tokenize = 'porter unicode61 remove_diacritics 2')`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table article_search`.execute(db)
}
