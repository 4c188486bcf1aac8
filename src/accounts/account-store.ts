/** @module The accounts module's SQL: users (staff and byline-only authors) and their API tokens. */
import type { Insertable } from 'kysely'
import type { DB } from '../storage/database.ts'
import type { AccountLinksTable, SessionsTable, UsersTable } from '../storage/schema.ts'

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

// ---- staff accounts: listing, roles, passwords ----

const staffColumns = ['users.id', 'users.email', 'users.display_name', 'users.slug', 'users.role', 'users.created_at', 'users.disabled_at'] as const

/** Everyone who can sign in or hold a token (not byline-only authors), oldest first. */
export function staffUsers(q: DB) {
  return q.selectFrom('users').select(staffColumns).where('email', 'not like', `%${BYLINE_ONLY_DOMAIN}`).orderBy('id').execute()
}

export function userById(q: DB, id: number) {
  return q.selectFrom('users').select([...staffColumns, 'users.password_hash']).where('id', '=', id).executeTakeFirst()
}

export function userByEmail(q: DB, email: string) {
  return q.selectFrom('users').select([...staffColumns, 'users.password_hash']).where('email', '=', email).executeTakeFirst()
}

export async function setPasswordHash(q: DB, id: number, hash: string): Promise<void> {
  await q.updateTable('users').set({ password_hash: hash }).where('id', '=', id).execute()
}

export async function setRole(q: DB, id: number, role: UsersTable['role']): Promise<void> {
  await q.updateTable('users').set({ role }).where('id', '=', id).execute()
}

export async function setDisabled(q: DB, id: number, at: string | null): Promise<void> {
  await q.updateTable('users').set({ disabled_at: at }).where('id', '=', id).execute()
}

export async function countActiveAdministrators(q: DB): Promise<number> {
  const row = await q
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('role', '=', 'administrator')
    .where('disabled_at', 'is', null)
    .where('password_hash', 'is not', null)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

// ---- API tokens ----

export async function insertLabelledToken(q: DB, tokenHash: string, userId: number, label: string, at: string, expiresAt: string): Promise<number> {
  const row = await q.insertInto('api_tokens').values({ token_hash: tokenHash, user_id: userId, label, created_at: at, expires_at: expiresAt }).returning('id').executeTakeFirstOrThrow()
  return row.id
}

/** The owner of a token that is neither revoked nor expired at `now`, on an account still enabled. */
export function activeUserByTokenHash(q: DB, tokenHash: string, now: string) {
  return q
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select(['api_tokens.id as token_id', 'api_tokens.last_used_at', 'users.id', 'users.email', 'users.display_name', 'users.role'])
    .where('api_tokens.token_hash', '=', tokenHash)
    .where('api_tokens.revoked_at', 'is', null)
    .where('api_tokens.expires_at', '>', now)
    .where('users.disabled_at', 'is', null)
    .executeTakeFirst()
}

export async function touchToken(q: DB, id: number, at: string): Promise<void> {
  await q.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute()
}

export function tokens(q: DB, userId?: number) {
  let query = q
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select(['api_tokens.id', 'api_tokens.label', 'api_tokens.created_at', 'api_tokens.last_used_at', 'api_tokens.revoked_at', 'api_tokens.expires_at', 'users.id as user_id', 'users.email', 'users.display_name'])
    .orderBy('api_tokens.id')
  if (userId !== undefined) query = query.where('api_tokens.user_id', '=', userId)
  return query.execute()
}

export function tokenOwner(q: DB, id: number) {
  return q.selectFrom('api_tokens').select(['user_id', 'revoked_at']).where('id', '=', id).executeTakeFirst()
}

export async function revokeToken(q: DB, id: number, at: string): Promise<void> {
  await q.updateTable('api_tokens').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).execute()
}

export async function revokeTokensOf(q: DB, userId: number, at: string): Promise<void> {
  await q.updateTable('api_tokens').set({ revoked_at: at }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute()
}

// ---- sessions ----

export async function insertSession(q: DB, row: Insertable<SessionsTable>): Promise<void> {
  await q.insertInto('sessions').values(row).execute()
}

export function sessionUser(q: DB, idHash: string) {
  return q
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['sessions.created_at as session_created_at', 'sessions.last_seen_at', 'sessions.expires_at', 'users.id', 'users.email', 'users.display_name', 'users.role', 'users.disabled_at'])
    .where('sessions.id_hash', '=', idHash)
    .executeTakeFirst()
}

export async function touchSession(q: DB, idHash: string, lastSeenAt: string, expiresAt: string): Promise<void> {
  await q.updateTable('sessions').set({ last_seen_at: lastSeenAt, expires_at: expiresAt }).where('id_hash', '=', idHash).execute()
}

export async function deleteSession(q: DB, idHash: string): Promise<void> {
  await q.deleteFrom('sessions').where('id_hash', '=', idHash).execute()
}

export async function deleteSessionsOf(q: DB, userId: number): Promise<void> {
  await q.deleteFrom('sessions').where('user_id', '=', userId).execute()
}

/** Deletes up to `limit` sessions that expired before `now`; answers how many. */
export async function deleteExpiredSessions(q: DB, now: string, limit: number): Promise<number> {
  const result = await q
    .deleteFrom('sessions')
    .where('id_hash', 'in', (eb) => eb.selectFrom('sessions').select('id_hash').where('expires_at', '<', now).orderBy('expires_at').limit(limit))
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}

/** Deletes up to `limit` single-use links that expired before `now` (used or not: neither can be used again); answers how many. */
export async function deleteExpiredLinks(q: DB, now: string, limit: number): Promise<number> {
  const result = await q
    .deleteFrom('account_links')
    .where('token_hash', 'in', (eb) => eb.selectFrom('account_links').select('token_hash').where('expires_at', '<', now).orderBy('expires_at').limit(limit))
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}

// ---- single-use links ----

export async function insertLink(q: DB, row: Insertable<AccountLinksTable>): Promise<void> {
  await q.insertInto('account_links').values(row).execute()
}

/** Marks a live link used and answers its row; a used, expired or unknown link answers nothing (so two clicks cannot both succeed). */
export function claimLink(q: DB, tokenHash: string, kind: AccountLinksTable['kind'], now: string) {
  return q
    .updateTable('account_links')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('kind', '=', kind)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['user_id'])
    .executeTakeFirst()
}

export function liveLink(q: DB, tokenHash: string, kind: AccountLinksTable['kind'], now: string) {
  return q
    .selectFrom('account_links')
    .select(['user_id', 'expires_at'])
    .where('token_hash', '=', tokenHash)
    .where('kind', '=', kind)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst()
}
