/** @module The privacy module's SQL: personal-data requests. */
import type { Kysely, Transaction } from 'kysely'
import type { Database, PrivacyRequestsTable } from '../storage/schema.ts'

type Q = Kysely<Database> | Transaction<Database>

export async function insertRequest(q: Q, email: string, kind: PrivacyRequestsTable['kind'], tokenHash: string, at: string): Promise<void> {
  await q.insertInto('privacy_requests').values({ email, kind, token_hash: tokenHash, created_at: at, completed_at: null }).execute()
}

export function findRequestByTokenHash(q: Q, tokenHash: string) {
  return q.selectFrom('privacy_requests').select(['id', 'email', 'kind', 'created_at', 'completed_at']).where('token_hash', '=', tokenHash).executeTakeFirst()
}

/**
 * Marks a request done unless it already is, or was made before `madeAfter`; says whether this
 * call did it. Two confirmations racing each other: exactly one of them gets `true`.
 */
export async function claimRequest(q: Q, id: number, at: string, madeAfter: string): Promise<boolean> {
  const result = await q
    .updateTable('privacy_requests')
    .set({ completed_at: at })
    .where('id', '=', id)
    .where('completed_at', 'is', null)
    .where('created_at', '>', madeAfter)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/** After an erasure, even the record of the request keeps no address. */
export async function forgetRequester(q: Q, email: string): Promise<void> {
  await q.updateTable('privacy_requests').set({ email: '(erased)' }).where('email', '=', email).execute()
}
