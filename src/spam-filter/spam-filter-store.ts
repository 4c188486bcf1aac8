/** @module The spam filter's SQL: the learning log, reputation counters and Akismet keys. */
import type { Kysely, Transaction } from 'kysely'
import type { Database, SpamReputationTable } from '../storage/schema.ts'

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
