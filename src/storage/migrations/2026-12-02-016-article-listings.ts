/**
 * Listings that cost the same at any size of archive: one narrow entry per (list, article) for
 * every story readers may list (published or scheduled posts with a date), in the order pages
 * show them, and a maintained count per list. Lists: the whole site, its sticky stories, each term,
 * each author. Filled here from the articles already stored.
 */
import { sql, type Kysely } from 'kysely'

/** Statuses listed (a scheduled story's entry waits, by its date, until it is due). */
const LISTED = ['published', 'scheduled']

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('article_listings')
    .addColumn('list_kind', 'text', (c) => c.notNull())
    .addColumn('list_id', 'integer', (c) => c.notNull())
    .addColumn('published_at', 'text', (c) => c.notNull())
    .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('sticky', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('article_listings_pk', ['list_kind', 'list_id', 'published_at', 'article_id'])
    .execute()
  // The primary key orders each list (and holds all a page reads of it); the front page's walk
  // past sticky stories has its own; the last finds an article's entries when it changes.
  await db.schema.createIndex('article_listings_unsticky').on('article_listings').columns(['list_kind', 'list_id', 'sticky', 'published_at', 'article_id']).execute()
  await db.schema.createIndex('article_listings_by_article').on('article_listings').columns(['article_id']).execute()

  await db.schema
    .createTable('article_listing_counts')
    .addColumn('list_kind', 'text', (c) => c.notNull())
    .addColumn('list_id', 'integer', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('article_listing_counts_pk', ['list_kind', 'list_id'])
    .execute()

  const listed = db
    .selectFrom('articles')
    .where('articles.status', 'in', LISTED)
    .where('articles.kind', '=', 'post')
    .where('articles.published_at', 'is not', null)
  const columns = ['list_kind', 'list_id', 'published_at', 'article_id', 'sticky'] as const
  const insertListed = (rows: Parameters<ReturnType<typeof db.insertInto>['expression']>[0]) => db.insertInto('article_listings').columns(columns).expression(rows).execute()
  await insertListed(listed.select([sql.lit('site').as('list_kind'), sql.lit(0).as('list_id'), 'published_at', 'id', 'sticky']))
  await insertListed(listed.where('articles.sticky', '=', 1).select([sql.lit('sticky').as('list_kind'), sql.lit(0).as('list_id'), 'published_at', 'id', 'sticky']))
  await insertListed(
    listed.innerJoin('article_terms', 'article_terms.article_id', 'articles.id').select([sql.lit('term').as('list_kind'), 'article_terms.term_id', 'articles.published_at', 'articles.id', 'articles.sticky']),
  )
  await insertListed(
    listed.innerJoin('article_authors', 'article_authors.article_id', 'articles.id').select([sql.lit('author').as('list_kind'), 'article_authors.user_id', 'articles.published_at', 'articles.id', 'articles.sticky']),
  )
  await db
    .insertInto('article_listing_counts')
    .columns(['list_kind', 'list_id', 'n'])
    .expression(db.selectFrom('article_listings').select(['list_kind', 'list_id', (eb) => eb.fn.countAll().as('n')]).groupBy(['list_kind', 'list_id']))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('article_listing_counts').execute()
  await db.schema.dropTable('article_listings').execute()
}
