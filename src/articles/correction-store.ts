/** @module The SQL of corrections: dated notes on published articles, and the list of all of them. */
import type { Insertable, Kysely, Transaction } from 'kysely'
import type { ArticleCorrectionsTable, Database } from '../storage/schema.ts'
import { visible } from './article-store.ts'

type Q = Kysely<Database> | Transaction<Database>

const columns = ['article_corrections.id', 'article_corrections.article_id', 'article_corrections.body_html', 'article_corrections.published_at'] as const

export async function insertCorrection(q: Q, row: Insertable<ArticleCorrectionsTable>): Promise<number> {
  return (await q.insertInto('article_corrections').values(row).returning('id').executeTakeFirstOrThrow()).id
}

/** The corrections of these articles, oldest first (the order a reader reads them in). */
export function correctionsOf(q: Q, articleIds: readonly number[]) {
  return q.selectFrom('article_corrections').select(columns).where('article_id', 'in', articleIds).orderBy('published_at').orderBy('id').execute()
}

const ofLiveArticles = (q: Q, now: string) =>
  q
    .selectFrom('article_corrections')
    .innerJoin('articles', 'articles.id', 'article_corrections.article_id')
    .where(visible(now))

/** Corrections of articles readers can see, newest first. */
export function listCorrections(q: Q, now: string, limit: number, offset: number) {
  return ofLiveArticles(q, now).select(columns).orderBy('article_corrections.published_at', 'desc').orderBy('article_corrections.id', 'desc').limit(limit).offset(offset).execute()
}

export async function countCorrections(q: Q, now: string): Promise<number> {
  const row = await ofLiveArticles(q, now).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()
  return Number(row.n)
}
