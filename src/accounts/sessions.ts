/**
 * @module Signing in to the newsroom: passwords checked against their hash, sessions kept in the
 * database (so every app process knows them), single-use links for the first administrator
 * and for password resets.
 *
 * A session's cookie holds 32 random bytes; the database keeps only their SHA-256, so a copy of
 * the database opens no session. A session lasts 14 days from its last use (touched at most once
 * an hour) and never more than 90 days from sign-in. Signing in always makes a new session, so a
 * session id planted before sign-in is worth nothing after it.
 */
import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import { Conflict, Invalid, NotFound, Unauthorized } from '../errors.ts'
import type { Mailer } from '../notifications/mailer.ts'
import type { RateLimiter } from '../rate-limit/rate-limit.ts'
import type { DB } from '../storage/database.ts'
import { parseOrThrow } from '../validation.ts'
import * as store from './account-store.ts'
import { hashPassword, needsRehash, verifyAgainstNothing, verifyPassword } from './passwords.ts'
import { addUser, sha256, type User } from './users.ts'

const DAY = 86_400_000
const IDLE_LIFETIME = 14 * DAY
const MAX_LIFETIME = 90 * DAY
const TOUCH_EVERY = 3_600_000
const SETUP_LINK_LIFETIME = 7 * DAY
const RESET_LINK_LIFETIME = 3_600_000

/** Sign-in attempts allowed in 15 minutes, per account and per client address. */
export const SIGN_IN_ATTEMPTS_PER_ACCOUNT = 5
export const SIGN_IN_ATTEMPTS_PER_ADDRESS = 20
const SIGN_IN_WINDOW = 900

export const PasswordSchema = z.string().min(12, 'must be at least 12 characters').max(1000, 'must be at most 1,000 characters')

export interface SignedIn {
  /** The cookie's value; shown once, never stored. */
  readonly sessionToken: string
  readonly user: User
  readonly expiresAt: Date
}

export interface SessionDeps {
  readonly db: DB
  readonly limiter: RateLimiter
  readonly mailer: Mailer
  readonly now: () => Date
  readonly siteTitle: () => Promise<string>
  /** Runs work no answer waits for (the reset e-mail), reporting its failure elsewhere. */
  readonly background: (task: () => Promise<void>) => void
}

const sessionTokenRe = /^[A-Za-z0-9_-]{43}$/
const linkTokenRe = /^[A-Za-z0-9_-]{43}$/

function newToken(): string {
  return randomBytes(32).toString('base64url')
}

function toUser(row: { id: number; email: string; display_name: string; role: User['role'] }): User {
  return { id: row.id, email: row.email, displayName: row.display_name, role: row.role }
}

async function startSession(deps: SessionDeps, user: User): Promise<SignedIn> {
  const token = newToken()
  const now = deps.now()
  const expiresAt = new Date(now.getTime() + IDLE_LIFETIME)
  await store.insertSession(deps.db, { id_hash: sha256(token), user_id: user.id, created_at: now.toISOString(), last_seen_at: now.toISOString(), expires_at: expiresAt.toISOString() })
  return { sessionToken: token, user, expiresAt }
}

const WRONG = 'That e-mail address and password do not match an account. Check both, or reset your password.'

/**
 * Checks an e-mail address and password and opens a new session. Attempts are counted per account
 * and per client address whether they succeed or not, so guessing is slow from one address and
 * from many.
 */
export async function signIn(deps: SessionDeps, input: { email: string; password: string; ip: string }): Promise<SignedIn> {
  const email = input.email.trim().toLowerCase()
  const now = deps.now()
  const wait = (s: number) => `wait ${Math.ceil(s / 60)} minute${s > 60 ? 's' : ''} before trying again, or reset your password.`
  await deps.limiter.take({ bucket: `sign-in:${sha256(email)}`, max: SIGN_IN_ATTEMPTS_PER_ACCOUNT, windowSeconds: SIGN_IN_WINDOW }, now, (s) => `Too many sign-in attempts for this account: ${wait(s)}`)
  await deps.limiter.take({ bucket: `sign-in-from:${input.ip}`, max: SIGN_IN_ATTEMPTS_PER_ADDRESS, windowSeconds: SIGN_IN_WINDOW }, now, (s) => `Too many sign-in attempts from your network: ${wait(s)}`)
  const row = email && input.password ? await store.userByEmail(deps.db, email) : undefined
  if (!row || !row.password_hash || row.disabled_at) {
    await verifyAgainstNothing(input.password)
    throw new Unauthorized(WRONG)
  }
  if (!(await verifyPassword(input.password, row.password_hash))) throw new Unauthorized(WRONG)
  if (needsRehash(row.password_hash)) await store.setPasswordHash(deps.db, row.id, await hashPassword(input.password))
  return startSession(deps, toUser(row))
}

/** The user a session cookie belongs to, if the session is live; extends it when in use. */
export async function userForSession(deps: SessionDeps, token: string | undefined): Promise<(User & { sessionId: string }) | undefined> {
  if (!token || !sessionTokenRe.test(token)) return undefined
  const idHash = sha256(token)
  const row = await store.sessionUser(deps.db, idHash)
  if (!row || row.disabled_at) return undefined
  const now = deps.now().getTime()
  if (Date.parse(row.expires_at) <= now) {
    await store.deleteSession(deps.db, idHash)
    return undefined
  }
  if (now - Date.parse(row.last_seen_at) > TOUCH_EVERY) {
    const expires = Math.min(now + IDLE_LIFETIME, Date.parse(row.session_created_at) + MAX_LIFETIME)
    await store.touchSession(deps.db, idHash, new Date(now).toISOString(), new Date(expires).toISOString())
  }
  return { ...toUser(row), sessionId: idHash }
}

export async function signOut(deps: SessionDeps, token: string | undefined): Promise<void> {
  if (token && sessionTokenRe.test(token)) await store.deleteSession(deps.db, sha256(token))
}

/** Ends every session of the user, on every device, and revokes nothing else. */
export async function signOutEverywhere(deps: SessionDeps, userId: number): Promise<void> {
  await store.deleteSessionsOf(deps.db, userId)
}

/** Whether the site still needs its first administrator (no one can sign in as one). */
export async function needsSetup(deps: SessionDeps): Promise<boolean> {
  return (await store.countActiveAdministrators(deps.db)) === 0
}

/** A new single-use link token for creating the first administrator (valid 7 days). */
export async function createSetupToken(deps: SessionDeps): Promise<string> {
  const token = newToken()
  const now = deps.now()
  await store.insertLink(deps.db, { token_hash: sha256(token), kind: 'setup', user_id: null, created_at: now.toISOString(), expires_at: new Date(now.getTime() + SETUP_LINK_LIFETIME).toISOString() })
  return token
}

export async function setupTokenIsLive(deps: SessionDeps, token: string): Promise<boolean> {
  return linkTokenRe.test(token) && (await store.liveLink(deps.db, sha256(token), 'setup', deps.now().toISOString())) !== undefined
}

const SETUP_GONE = 'This set-up link has been used or has expired. Run `npm start` (or `broadsheet serve`) on a site without an administrator to get a new one.'

/** Creates the first administrator with the set-up link, in one transaction, and signs them in. */
export async function completeSetup(deps: SessionDeps, token: string, input: { name: string; email: string; password: string }): Promise<SignedIn> {
  parseOrThrow(z.object({ password: PasswordSchema }), { password: input.password }, 'set-up', (p) => new Invalid(`${p.field}: ${p.message}`))
  if (!linkTokenRe.test(token)) throw new NotFound(SETUP_GONE)
  const user = await deps.db.transaction().execute(async (tx) => {
    if ((await store.countActiveAdministrators(tx)) > 0) throw new Conflict('This site already has an administrator: sign in instead.')
    const claimed = await store.claimLink(tx, sha256(token), 'setup', deps.now().toISOString())
    if (!claimed) throw new NotFound(SETUP_GONE)
    return addUser(tx, { ...input, role: 'administrator' }, deps.now())
  })
  return startSession(deps, user)
}

/**
 * E-mails a single-use link (valid one hour) to the account with this address. Answers the same
 * whether or not there is one, so the form tells no stranger who has an account.
 */
export async function requestPasswordReset(deps: SessionDeps, input: { email: string; ip: string; resetUrl: (token: string) => string }): Promise<void> {
  const email = input.email.trim().toLowerCase()
  const now = deps.now()
  await deps.limiter.take({ bucket: `reset-from:${input.ip}`, max: 5, windowSeconds: 3600 }, now, (s) => `Too many reset requests from your network: wait ${Math.ceil(s / 60)} minutes.`)
  await deps.limiter.take({ bucket: `reset-to:${sha256(email)}`, max: 3, windowSeconds: 3600 }, now, (s) => `A reset link was already sent to this address: check your mail, or wait ${Math.ceil(s / 60)} minutes.`)
  const row = await store.userByEmail(deps.db, email)
  if (!row || row.disabled_at) return
  const token = newToken()
  await store.insertLink(deps.db, { token_hash: sha256(token), kind: 'password_reset', user_id: row.id, created_at: now.toISOString(), expires_at: new Date(now.getTime() + RESET_LINK_LIFETIME).toISOString() })
  const title = await deps.siteTitle()
  // Sent after the answer: a real account must not answer slower (or fail on an SMTP error) where a stranger's address does not.
  deps.background(() => deps.mailer.send({
    to: row.email,
    subject: `[${title}] Reset your password`,
    text: `Someone (we hope you) asked to reset the password of your account on ${title}.\n\nSet a new password here within the hour; the link works once:\n${input.resetUrl(token)}\n\nIf it was not you, ignore this message: your password has not changed.\n`,
  }))
}

export async function resetTokenIsLive(deps: SessionDeps, token: string): Promise<boolean> {
  return linkTokenRe.test(token) && (await store.liveLink(deps.db, sha256(token), 'password_reset', deps.now().toISOString())) !== undefined
}

/** Sets a new password with a reset link, ends every other session, and signs the user in. */
export async function resetPassword(deps: SessionDeps, token: string, password: string): Promise<SignedIn> {
  parseOrThrow(z.object({ password: PasswordSchema }), { password }, 'reset', (p) => new Invalid(`${p.field}: ${p.message}`))
  const gone = new NotFound('This reset link has been used or has expired. Ask for a new one.')
  if (!linkTokenRe.test(token)) throw gone
  const hash = await hashPassword(password)
  const user = await deps.db.transaction().execute(async (tx) => {
    const claimed = await store.claimLink(tx, sha256(token), 'password_reset', deps.now().toISOString())
    if (!claimed?.user_id) throw gone
    await store.setPasswordHash(tx, claimed.user_id, hash)
    await store.deleteSessionsOf(tx, claimed.user_id)
    const row = await store.userById(tx, claimed.user_id)
    if (!row) throw gone
    return toUser(row)
  })
  return startSession(deps, user)
}

/** Changes one's own password (the current one is asked for) and ends every other session. */
export async function changePassword(deps: SessionDeps, userId: number, current: string, next: string): Promise<SignedIn> {
  parseOrThrow(z.object({ password: PasswordSchema }), { password: next }, 'password', (p) => new Invalid(`New password: ${p.message}`))
  const row = await store.userById(deps.db, userId)
  if (!row?.password_hash || !(await verifyPassword(current, row.password_hash))) throw new Invalid('Current password: it is not your current password.')
  await store.setPasswordHash(deps.db, userId, await hashPassword(next))
  await store.deleteSessionsOf(deps.db, userId)
  return startSession(deps, toUser(row))
}
