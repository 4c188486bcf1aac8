/** @module The wordpress module's SQL: the map from each imported WordPress item to what it became here. */
import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../storage/schema.ts'

type Q = Kysely<Database> | Transaction<Database>

/** `article` (posts and pages), `attachment`, `comment`, `term`, `author`, `disqus-comment`. */
export type MappedKind = 'article' | 'attachment' | 'comment' | 'term' | 'author' | 'disqus-comment'

export interface MappedItem {
  local_id: number | null
  fingerprint: string
  data: string
}

export function findMapped(q: Q, kind: MappedKind, wpKey: string): Promise<MappedItem | undefined> {
  return q.selectFrom('wordpress_items').select(['local_id', 'fingerprint', 'data']).where('kind', '=', kind).where('wp_key', '=', wpKey).executeTakeFirst()
}

export async function saveMapped(q: Q, kind: MappedKind, wpKey: string, item: MappedItem): Promise<void> {
  await q
    .insertInto('wordpress_items')
    .values({ kind, wp_key: wpKey, ...item })
    .onConflict((oc) => oc.columns(['kind', 'wp_key']).doUpdateSet({ local_id: item.local_id, fingerprint: item.fingerprint, data: item.data }))
    .execute()
}

/** The WordPress key an article (or comment …) was imported from, if it was. */
export async function wpKeyOf(q: Q, kind: MappedKind, localId: number): Promise<string | undefined> {
  const row = await q.selectFrom('wordpress_items').select('wp_key').where('kind', '=', kind).where('local_id', '=', localId).executeTakeFirst()
  return row?.wp_key
}

export function mappedOfKind(q: Q, kind: MappedKind) {
  return q.selectFrom('wordpress_items').select(['wp_key', 'local_id', 'fingerprint', 'data']).where('kind', '=', kind).orderBy('wp_key').execute()
}

/** Saves many mappings in one statement (an import writes one per item). */
export async function saveManyMapped(q: Q, rows: readonly { kind: MappedKind; wpKey: string; item: MappedItem }[]): Promise<void> {
  if (rows.length === 0) return
  await q
    .insertInto('wordpress_items')
    .values(rows.map((r) => ({ kind: r.kind, wp_key: r.wpKey, ...r.item })))
    .onConflict((oc) =>
      oc.columns(['kind', 'wp_key']).doUpdateSet((eb) => ({
        local_id: eb.ref('excluded.local_id'),
        fingerprint: eb.ref('excluded.fingerprint'),
        data: eb.ref('excluded.data'),
      })),
    )
    .execute()
}
