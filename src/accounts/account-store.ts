/** @module The accounts module's SQL: users (staff and byline-only authors) and their API tokens. */
import type { Insertable } from 'kysely'
import type { DB } from '../storage/database.ts'
import type { UsersTable } from '../storage/schema.ts'

const authorColumns = ['id', 'display_name', 'slug', 'bio'] as const

/** The suffix of the addresses given to byline-only authors, who cannot sign in. */
export const BYLINE_ONLY_DOMAIN = '@authors.broadsheet.invalid'

export function authorByEmail(q: DB, email: string) {
  return q.selectFrom('users').select(authorColumns).where('email', '=', email).executeTakeFirst()
}

export function authorByNameOrSlug(q: DB, name: string) {
  return q.selectFrom('users').select(authorColumns).where((eb) => eb.or([eb('display_name', '=', name), eb('slug', '=', name)])).executeTakeFirst()
}

export function authorBySlug(q: DB, slug: string) {
  return q.selectFrom('users').select(authorColumns).where('slug', '=', slug).executeTakeFirst()
}

export async function slugTaken(q: DB, slug: string): Promise<boolean> {
  return (await q.selectFrom('users').select('id').where('slug', '=', slug).executeTakeFirst()) !== undefined
}

export async function emailTaken(q: DB, email: string): Promise<boolean> {
  return (await q.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst()) !== undefined
}

export function insertUser(q: DB, row: Insertable<UsersTable>) {
  return q.insertInto('users').values(row).returning(authorColumns).executeTakeFirstOrThrow()
}

/** A byline-only author of this name, who may become a user with an account. */
export async function bylineOnlyAuthorNamed(q: DB, name: string): Promise<number | undefined> {
  const row = await q.selectFrom('users').select('id').where('display_name', '=', name).where('email', 'like', `%${BYLINE_ONLY_DOMAIN}`).executeTakeFirst()
  return row?.id
}

export async function giveAccount(q: DB, id: number, account: Pick<UsersTable, 'email' | 'role' | 'password_hash'>): Promise<void> {
  await q.updateTable('users').set(account).where('id', '=', id).execute()
}

export async function userIdByEmail(q: DB, email: string): Promise<number | undefined> {
  return (await q.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst())?.id
}

export async function emailsOfRoles(q: DB, roles: readonly UsersTable['role'][]): Promise<string[]> {
  const rows = await q.selectFrom('users').select('email').where('role', 'in', roles).where('email', 'not like', '%.invalid').execute()
  return rows.map((r) => r.email)
}

export async function anyUserId(q: DB): Promise<number | undefined> {
  return (await q.selectFrom('users').select('id').limit(1).executeTakeFirst())?.id
}

export async function insertToken(q: DB, tokenHash: string, userId: number, at: string): Promise<void> {
  await q.insertInto('api_tokens').values({ token_hash: tokenHash, user_id: userId, created_at: at }).execute()
}

export function userByTokenHash(q: DB, tokenHash: string) {
  return q
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select(['users.id', 'users.email', 'users.display_name', 'users.role'])
    .where('api_tokens.token_hash', '=', tokenHash)
    .executeTakeFirst()
}
