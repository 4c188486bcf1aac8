/** Users, articles with their slugs, authors, terms and credits, site settings, comments. */
import type { Kysely } from 'kysely'
import { withId } from './dialect.ts'

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('users'))
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('bio', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('password_hash', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()

  await withId(db, db.schema.createTable('articles'))
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('standfirst', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('body_markdown', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('canonical_url', 'text')
    .addColumn('comments_open', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()
  await db.schema.createIndex('articles_listing').on('articles').columns(['status', 'published_at']).execute()

  await db.schema
    .createTable('article_slugs')
    .addColumn('slug', 'text', (c) => c.primaryKey())
    .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .execute()

  await db.schema
    .createTable('article_authors')
    .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('article_authors_pk', ['article_id', 'user_id'])
    .execute()
  await db.schema.createIndex('article_authors_by_user').on('article_authors').columns(['user_id', 'article_id']).execute()

  await withId(db, db.schema.createTable('terms'))
    .addColumn('taxonomy', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'integer', (c) => c.references('terms.id'))
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addUniqueConstraint('terms_taxonomy_slug', ['taxonomy', 'slug'])
    .execute()

  await db.schema
    .createTable('article_terms')
    .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('term_id', 'integer', (c) => c.notNull().references('terms.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('article_terms_pk', ['article_id', 'term_id'])
    .execute()
  await db.schema.createIndex('article_terms_by_term').on('article_terms').columns(['term_id', 'article_id']).execute()

  await withId(db, db.schema.createTable('credits'))
    .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('role', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('credits_by_article').on('credits').columns(['article_id', 'position']).execute()

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute()

  await withId(db, db.schema.createTable('comments'))
    .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('parent_id', 'integer', (c) => c.references('comments.id'))
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('author_email', 'text', (c) => c.notNull())
    .addColumn('author_url', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('author_ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('content_markdown', 'text', (c) => c.notNull())
    .addColumn('content_html', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reasons', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('spam_score', 'real')
    .addColumn('notify_replies', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('comments_by_article').on('comments').columns(['article_id', 'status', 'id']).execute()
  await db.schema.createIndex('comments_by_email').on('comments').columns(['author_email', 'status']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['comments', 'settings', 'credits', 'article_terms', 'terms', 'article_authors', 'article_slugs', 'articles', 'users']) {
    await db.schema.dropTable(table).execute()
  }
}
