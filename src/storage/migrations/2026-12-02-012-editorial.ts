/**
 * The editorial record: each article's revision counter (the optimistic-concurrency token), its
 * revisions, its published corrections and its private source notes (stored encrypted).
 */
import type { Kysely } from 'kysely'
import { withId } from './dialect.ts'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('articles').addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0)).execute()

  await withId(db, db.schema.createTable('article_revisions'))
    .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('standfirst', 'text', (c) => c.notNull())
    .addColumn('body_markdown', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text')
    .addColumn('canonical_url', 'text')
    .addColumn('authors', 'text', (c) => c.notNull())
    .addColumn('categories', 'text', (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull())
    .addColumn('credits', 'text', (c) => c.notNull())
    .addColumn('saved_by_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('saved_by_name', 'text', (c) => c.notNull())
    .addColumn('saved_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('article_revisions_number', ['article_id', 'number'])
    .execute()

  await withId(db, db.schema.createTable('article_corrections'))
    .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('body_markdown', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text', (c) => c.notNull())
    .addColumn('added_by_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('published_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('article_corrections_by_date').on('article_corrections').columns(['published_at', 'id']).execute()
  await db.schema.createIndex('article_corrections_by_article').on('article_corrections').columns(['article_id']).execute()

  await withId(db, db.schema.createTable('article_source_notes'))
    .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('sealed', 'text', (c) => c.notNull())
    .addColumn('written_by_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('written_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('article_source_notes_by_article').on('article_source_notes').columns(['article_id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('article_source_notes').execute()
  await db.schema.dropTable('article_corrections').execute()
  await db.schema.dropTable('article_revisions').execute()
  await db.schema.alterTable('articles').dropColumn('revision').execute()
}
