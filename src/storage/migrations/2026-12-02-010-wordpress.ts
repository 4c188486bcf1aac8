/**
 * What a WordPress archive needs beyond our first articles: an article kind (`post` or `page`)
 * and a sticky flag on articles; a generic table of old addresses (path → article, or → path)
 * that reader routes consult when nothing else matches; and the import mapping that ties each
 * WordPress item (post, page, attachment, comment, term, author) to what it became here, so a
 * second import of the same file updates instead of adding.
 */
import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('articles').addColumn('kind', 'text', (c) => c.notNull().defaultTo('post')).execute()
  await db.schema.alterTable('articles').addColumn('sticky', 'integer', (c) => c.notNull().defaultTo(0)).execute()

  await db.schema
    .createTable('redirects')
    .addColumn('path', 'text', (c) => c.primaryKey())
    .addColumn('article_id', 'integer', (c) => c.references('articles.id').onDelete('cascade'))
    .addColumn('target_path', 'text')
    .addColumn('origin', 'text', (c) => c.notNull().defaultTo('import'))
    .execute()
  await db.schema.createIndex('redirects_by_article').on('redirects').column('article_id').execute()

  await db.schema
    .createTable('wordpress_items')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('wp_key', 'text', (c) => c.notNull())
    .addColumn('local_id', 'integer')
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
    .addPrimaryKeyConstraint('wordpress_items_pk', ['kind', 'wp_key'])
    .execute()
  await db.schema.createIndex('wordpress_items_by_local').on('wordpress_items').columns(['kind', 'local_id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('wordpress_items').execute()
  await db.schema.dropTable('redirects').execute()
  await db.schema.alterTable('articles').dropColumn('sticky').execute()
  await db.schema.alterTable('articles').dropColumn('kind').execute()
}
