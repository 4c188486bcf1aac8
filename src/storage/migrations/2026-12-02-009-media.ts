/**
 * Images (media/): uploaded files with their responsive variants, or records that only point at a
 * remote URL (imports); an article's featured image; and the order of an article's terms, so that
 * its first category is its primary one.
 */
import type { Kysely } from 'kysely'
import { withId } from './dialect.ts'

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('media'))
    .addColumn('alt', 'text', (c) => c.notNull())
    .addColumn('caption', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('credit', 'text', (c) => c.notNull().defaultTo(''))
    // Null for a record that only points at a remote image whose size is not known.
    .addColumn('width', 'integer')
    .addColumn('height', 'integer')
    // JSON array of {width, height, format, key}; empty for a remote image.
    .addColumn('variants', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('remote_url', 'text')
    .addColumn('original_name', 'text', (c) => c.notNull().defaultTo(''))
    // SHA-256 of the uploaded bytes: the same file uploaded twice shares its variants.
    .addColumn('content_hash', 'text')
    .addColumn('uploaded_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.alterTable('articles').addColumn('image_id', 'integer', (c) => c.references('media.id').onDelete('set null')).execute()
  await db.schema.alterTable('article_terms').addColumn('position', 'integer', (c) => c.notNull().defaultTo(0)).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('article_terms').dropColumn('position').execute()
  await db.schema.alterTable('articles').dropColumn('image_id').execute()
  await db.schema.dropTable('media').execute()
}
