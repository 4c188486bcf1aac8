/** Puts the articles that exist already into the full-text index (in the 'simple' configuration on PostgreSQL until they are saved again). */
import { sql, type Kysely } from 'kysely'
import { isPostgres } from './dialect.ts'

/** Frozen copy of how text is taken out of stored HTML for the index, as it was when this ran. */
function textOf(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' })[e]!)
    .replace(/\s+/g, ' ')
    .trim()
}

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = isPostgres(db)
  for (let after = 0; ; ) {
    const rows = await db.selectFrom('articles').select(['id', 'title', 'standfirst', 'body_html']).where('id', '>', after).orderBy('id').limit(500).execute()
    if (rows.length === 0) return
    for (const r of rows) {
      const body = textOf(r.body_html)
      if (postgres) {
        await sql`insert into article_search (article_id, title, standfirst, body, document) values (${r.id}, ${r.title}, ${r.standfirst}, ${body},
          setweight(to_tsvector('simple', ${r.title}), 'A') || setweight(to_tsvector('simple', ${r.standfirst}), 'B') || setweight(to_tsvector('simple', ${body}), 'C'))`.execute(db)
      } else {
        await sql`insert into article_search (rowid, title, standfirst, body) values (${r.id}, ${r.title}, ${r.standfirst}, ${body})`.execute(db)
      }
    }
    after = rows.at(-1)!.id
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from article_search`.execute(db)
}
