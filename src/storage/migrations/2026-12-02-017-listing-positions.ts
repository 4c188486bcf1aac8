/**
 * Deep listing pages at the cost of the first: each entry keeps its position in its list (1 for
 * the oldest), so page N is a range of positions read along one index instead of an OFFSET that
 * walks every newer entry. The front page's stories that are not sticky become a list of their
 * own ('unsticky'), so its pages are ranges too. Filled here from the entries already stored.
 */
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('article_listings').addColumn('position', 'integer', (c) => c.notNull().defaultTo(0)).execute()

  await db
    .insertInto('article_listings')
    .columns(['list_kind', 'list_id', 'published_at', 'article_id', 'sticky'])
    .expression(db.selectFrom('article_listings').select([sql.lit('unsticky').as('list_kind'), sql.lit(0).as('list_id'), 'published_at', 'article_id', 'sticky']).where('list_kind', '=', 'site').where('sticky', '=', 0))
    .execute()
  await db
    .insertInto('article_listing_counts')
    .columns(['list_kind', 'list_id', 'n'])
    .expression(db.selectFrom('article_listings').select(['list_kind', 'list_id', (eb) => eb.fn.countAll().as('n')]).where('list_kind', '=', 'unsticky').groupBy(['list_kind', 'list_id']))
    .execute()

  // Oldest first, so that a story published now goes on the end and moves nobody. The entries are
  // written again with their ranks rather than updated from a join: a join over a table filled a
  // moment ago has no statistics on PostgreSQL, which then plans a nested loop (quadratic).
  const columns = ['list_kind', 'list_id', 'published_at', 'article_id', 'sticky'] as const
  await db.schema
    .createTable('article_listings_ranked')
    .as(db.selectFrom('article_listings').select([...columns, sql<number>`row_number() over (partition by list_kind, list_id order by published_at, article_id)`.as('position')]))
    .execute()
  await db.deleteFrom('article_listings').execute()
  await db.insertInto('article_listings').columns([...columns, 'position']).expression(db.selectFrom('article_listings_ranked').select([...columns, 'position'])).execute()
  await db.schema.dropTable('article_listings_ranked').execute()

  await db.schema.createIndex('article_listings_by_position').on('article_listings').columns(['list_kind', 'list_id', 'position', 'article_id']).execute()
  // The front page's walk past sticky stories now has its own list.
  await db.schema.dropIndex('article_listings_unsticky').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('article_listings_unsticky').on('article_listings').columns(['list_kind', 'list_id', 'sticky', 'published_at', 'article_id']).execute()
  await db.schema.dropIndex('article_listings_by_position').execute()
  await db.deleteFrom('article_listing_counts').where('list_kind', '=', 'unsticky').execute()
  await db.deleteFrom('article_listings').where('list_kind', '=', 'unsticky').execute()
  await db.schema.alterTable('article_listings').dropColumn('position').execute()
}
