/** @module The SQL of article revisions: one row a save, written in the save's transaction. */
import type { Insertable, Kysely, Selectable, Transaction } from 'kysely'
import type { ArticleRevisionsTable, Database } from '../storage/schema.ts'

type Q = Kysely<Database> | Transaction<Database>
export type RevisionRow = Selectable<ArticleRevisionsTable>

export async function insertRevision(q: Q, row: Insertable<ArticleRevisionsTable>): Promise<void> {
  await q.insertInto('article_revisions').values(row).execute()
}

/** Who saved the article last, and when (for the message an editor with a stale copy gets). */
export async function latestRevision(q: Q, articleId: number): Promise<{ number: number; savedByName: string; savedAt: Date } | undefined> {
  const row = await q
    .selectFrom('article_revisions')
    .select(['number', 'saved_by_name', 'saved_at'])
    .where('article_id', '=', articleId)
    .orderBy('number', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row && { number: row.number, savedByName: row.saved_by_name, savedAt: new Date(row.saved_at) }
}

/** Every revision of an article, newest first. */
export function listRevisions(q: Q, articleId: number): Promise<RevisionRow[]> {
  return q.selectFrom('article_revisions').selectAll().where('article_id', '=', articleId).orderBy('number', 'desc').execute()
}

export function findRevision(q: Q, articleId: number, number: number): Promise<RevisionRow | undefined> {
  return q.selectFrom('article_revisions').selectAll().where('article_id', '=', articleId).where('number', '=', number).executeTakeFirst()
}
