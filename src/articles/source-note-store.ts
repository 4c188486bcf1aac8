/** @module The SQL of private source notes: sealed text only; nothing here can read it. */
import type { Insertable, Kysely, Transaction } from 'kysely'
import type { ArticleSourceNotesTable, Database } from '../storage/schema.ts'

type Q = Kysely<Database> | Transaction<Database>

export async function insertNote(q: Q, row: Insertable<ArticleSourceNotesTable>): Promise<number> {
  return (await q.insertInto('article_source_notes').values(row).returning('id').executeTakeFirstOrThrow()).id
}

/** An article's notes, oldest first, with the writer's current name. */
export function notesOf(q: Q, articleId: number) {
  return q
    .selectFrom('article_source_notes')
    .leftJoin('users', 'users.id', 'article_source_notes.written_by_id')
    .select(['article_source_notes.id', 'article_source_notes.sealed', 'article_source_notes.written_by_id', 'article_source_notes.written_at', 'users.display_name'])
    .where('article_source_notes.article_id', '=', articleId)
    .orderBy('article_source_notes.id')
    .execute()
}
