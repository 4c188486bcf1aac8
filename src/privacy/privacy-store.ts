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

export async function markCompleted(q: Q, id: number, at: string): Promise<void> {
  await q.updateTable('privacy_requests').set({ completed_at: at }).where('id', '=', id).execute()
}

/** After an erasure, even the record of the request keeps no address. */
export async function forgetRequester(q: Q, email: string): Promise<void> {
  await q.updateTable('privacy_requests').set({ email: '(erased)' }).where('email', '=', email).execute()
}
