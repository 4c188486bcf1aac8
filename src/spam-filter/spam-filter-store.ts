/** @module The spam filter's SQL: the learning log, reputation counters and Akismet keys. */
import type { Kysely, Transaction } from 'kysely'
import type { AkismetUsageTable, Database, SpamReputationTable } from '../storage/schema.ts'

type Q = Kysely<Database> | Transaction<Database>
export type ReputationKind = SpamReputationTable['kind']

export function logEntriesAfter(q: Q, scope: string, afterId: number) {
  return q.selectFrom('spam_training_log').select(['id', 'label', 'vector']).where('scope', '=', scope).where('id', '>', afterId).orderBy('id').execute()
}

export async function appendLogEntry(q: Q, scope: string, label: 'spam' | 'ham', vector: string, at: string, fingerprint: string | null = null): Promise<void> {
  await q.insertInto('spam_training_log').values({ scope, label, vector, created_at: at, fingerprint }).execute()
}

/** Whether this scope already learned this text with this label. */
export async function hasLearned(q: Q, scope: string, fingerprint: string, label: 'spam' | 'ham'): Promise<boolean> {
  const row = await q
    .selectFrom('spam_training_log')
    .select('id')
    .where('scope', '=', scope)
    .where('fingerprint', '=', fingerprint)
    .where('label', '=', label)
    .executeTakeFirst()
  return row !== undefined
}

/** Adds a witness to a reputation entry; false if that witness had already vouched for this label. */
export async function addWitness(q: Q, scope: string, kind: ReputationKind, hash: string, label: 'spam' | 'ham', witness: string): Promise<boolean> {
  const row = await q
    .insertInto('spam_reputation_witnesses')
    .values({ scope, kind, key_hash: hash, label, witness })
    .onConflict((oc) => oc.doNothing())
    .returning('witness')
    .executeTakeFirst()
  return row !== undefined
}

export function reputationRows(q: Q, scope: string, keys: readonly { kind: ReputationKind; hash: string }[]) {
  if (keys.length === 0) return Promise.resolve([])
  return q
    .selectFrom('spam_reputation')
    .select(['kind', 'key_hash', 'spam', 'ham'])
    .where('scope', '=', scope)
    .where('key_hash', 'in', keys.map((k) => k.hash))
    .execute()
}

export async function countReputation(q: Q, scope: string, kind: ReputationKind, hash: string, label: 'spam' | 'ham'): Promise<void> {
  const spam = label === 'spam' ? 1 : 0
  const ham = label === 'ham' ? 1 : 0
  await q
    .insertInto('spam_reputation')
    .values({ scope, kind, key_hash: hash, spam, ham })
    .onConflict((oc) =>
      oc.columns(['scope', 'kind', 'key_hash']).doUpdateSet((eb) => ({
        spam: eb('spam_reputation.spam', '+', spam),
        ham: eb('spam_reputation.ham', '+', ham),
      })),
    )
    .execute()
}

export async function insertAkismetKey(q: Q, keyHash: string, siteUrl: string, at: string): Promise<number> {
  const { id } = await q.insertInto('akismet_keys').values({ key_hash: keyHash, site_url: siteUrl, created_at: at }).returning('id').executeTakeFirstOrThrow()
  return id
}

export function findAkismetKey(q: Q, keyHash: string) {
  return q.selectFrom('akismet_keys').select(['id', 'site_url']).where('key_hash', '=', keyHash).executeTakeFirst()
}

export async function forgetReputation(q: Q, hashes: readonly string[]): Promise<void> {
  if (hashes.length === 0) return
  await q.deleteFrom('spam_reputation').where('key_hash', 'in', hashes).execute()
  // A witness is a hashed sender too: the person's reports about others' domains go with them.
  await q.deleteFrom('spam_reputation_witnesses').where((eb) => eb.or([eb('key_hash', 'in', hashes), eb('witness', 'in', hashes)])).execute()
}

export type UsageCounter = 'spam' | 'ham' | 'missed_spam' | 'false_positives'

/** Counts one call of a key for a site and month (`api_calls`, and `counter` when given). */
export async function countUsage(q: Q, keyId: number, month: string, site: string, counter: UsageCounter | undefined): Promise<void> {
  const one = (c: UsageCounter) => (c === counter ? 1 : 0)
  await q
    .insertInto('akismet_usage')
    .values({ key_id: keyId, month, site, api_calls: 1, spam: one('spam'), ham: one('ham'), missed_spam: one('missed_spam'), false_positives: one('false_positives') })
    .onConflict((oc) =>
      oc.columns(['key_id', 'month', 'site']).doUpdateSet((eb) => ({
        api_calls: eb('akismet_usage.api_calls', '+', 1),
        ...(counter && { [counter]: eb(`akismet_usage.${counter}`, '+', 1) }),
      })),
    )
    .execute()
}

export type UsageOrder = 'total' | UsageCounter

/** A key's sites in a month, busiest first (by `order`), a page of them, and how many there are. */
export async function usageOf(q: Q, keyId: number, month: string, order: UsageOrder, limit: number, offset: number, filter?: string): Promise<{ rows: AkismetUsageTable[]; total: number }> {
  let query = q.selectFrom('akismet_usage').where('key_id', '=', keyId).where('month', '=', month)
  if (filter) query = query.where('site', 'like', `%${filter.replace(/[\\%_]/g, '')}%`)
  const { n } = await query.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow()
  const rows = await query
    .selectAll()
    .orderBy(order === 'total' ? 'api_calls' : order, 'desc')
    .orderBy('site')
    .limit(limit)
    .offset(offset)
    .execute()
  return { rows, total: Number(n) }
}

/** A key's calls in a month, all sites together. */
export async function callsOf(q: Q, keyId: number, month: string): Promise<number> {
  const row = await q
    .selectFrom('akismet_usage')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number | string>('api_calls'), eb.lit(0)).as('n'))
    .where('key_id', '=', keyId)
    .where('month', '=', month)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
