/** @module The accounts service: who may sign in or call the admin API, and who signs articles. */
import type { Mailer } from '../notifications/mailer.ts'
import type { RateLimiter } from '../rate-limit/rate-limit.ts'
import { siteSecret } from '../settings/secrets.ts'
import type { DB } from '../storage/database.ts'
import * as accountStore from './account-store.ts'
import { findAuthorBySlug, type Author } from './authors.ts'
import * as sessions from './sessions.ts'
import type { SignedIn } from './sessions.ts'
import * as users from './users.ts'
import type { ApiTokenInfo, NewUser, StaffUser, User } from './users.ts'

export type { Author, Role } from './authors.ts'
export type { ApiTokenInfo, StaffUser, User } from './users.ts'
export type { SignedIn } from './sessions.ts'
export { can, type Capability } from './policies.ts'

export interface AccountsService {
  addUser(input: NewUser): Promise<User>
  listUsers(): Promise<StaffUser[]>
  user(id: number): Promise<StaffUser | undefined>
  updateUser(id: number, change: { role?: User['role']; disabled?: boolean }): Promise<StaffUser>
  /** A new bearer token (shown once; only its hash is kept), valid for `expiresInDays` (90 unless given). */
  createApiToken(email: string, label?: string, expiresInDays?: number): Promise<string>
  listTokens(userId?: number): Promise<ApiTokenInfo[]>
  revokeToken(id: number, onlyOf?: number): Promise<void>
  userForToken(token: string): Promise<User | undefined>
  moderatorEmails(): Promise<string[]>
  hasAnyUser(): Promise<boolean>
  authorBySlug(slug: string): Promise<Author | undefined>

  signIn(input: { email: string; password: string; ip: string }): Promise<SignedIn>
  userForSession(token: string | undefined): Promise<(User & { sessionId: string }) | undefined>
  signOut(token: string | undefined): Promise<void>
  signOutEverywhere(userId: number): Promise<void>
  changePassword(userId: number, current: string, next: string): Promise<SignedIn>
  needsSetup(): Promise<boolean>
  createSetupToken(): Promise<string>
  setupTokenIsLive(token: string): Promise<boolean>
  completeSetup(token: string, input: { name: string; email: string; password: string }): Promise<SignedIn>
  requestPasswordReset(input: { email: string; ip: string; resetUrl: (token: string) => string }): Promise<void>
  resetTokenIsLive(token: string): Promise<boolean>
  resetPassword(token: string, password: string): Promise<SignedIn>
  /** The key that binds the admin forms' CSRF tokens to their session. */
  csrfKey(): Promise<Buffer>
  /** Deletes up to `limit` expired sessions (the retention job runs it); answers how many. */
  forgetExpiredSessions(limit: number): Promise<number>
  /** Deletes up to `limit` expired set-up and reset links; answers how many. */
  forgetExpiredLinks(limit: number): Promise<number>
}

export interface AccountsDeps {
  readonly db: DB
  readonly now: () => Date
  readonly limiter: RateLimiter
  readonly mailer: Mailer
  readonly siteTitle: () => Promise<string>
  readonly background: (task: () => Promise<void>) => void
}

/**
 * @example const accounts = accountsService({ db, now, limiter, mailer, siteTitle }); await accounts.addUser({ email, name, role: 'editor' })
 */
export function accountsService(deps: AccountsDeps): AccountsService {
  const { db, now } = deps
  return {
    addUser: (input) => users.addUser(db, input, now()),
    listUsers: () => users.listStaff(db),
    user: (id) => users.userById(db, id),
    updateUser: (id, change) => users.updateUser(db, id, change, now()),
    createApiToken: async (email, label, expiresInDays) => (await users.createApiToken(db, email, now(), label, expiresInDays)).token,
    listTokens: (userId) => users.listTokens(db, userId),
    revokeToken: (id, onlyOf) => users.revokeToken(db, id, now(), onlyOf),
    userForToken: (token) => users.userForToken(db, token, now()),
    moderatorEmails: () => users.moderatorEmails(db),
    hasAnyUser: () => users.hasAnyUser(db),
    authorBySlug: (slug) => findAuthorBySlug(db, slug),

    signIn: (input) => sessions.signIn(deps, input),
    userForSession: (token) => sessions.userForSession(deps, token),
    signOut: (token) => sessions.signOut(deps, token),
    signOutEverywhere: (userId) => sessions.signOutEverywhere(deps, userId),
    changePassword: (userId, current, next) => sessions.changePassword(deps, userId, current, next),
    needsSetup: () => sessions.needsSetup(deps),
    createSetupToken: () => sessions.createSetupToken(deps),
    setupTokenIsLive: (token) => sessions.setupTokenIsLive(deps, token),
    completeSetup: (token, input) => sessions.completeSetup(deps, token, input),
    requestPasswordReset: (input) => sessions.requestPasswordReset(deps, input),
    resetTokenIsLive: (token) => sessions.resetTokenIsLive(deps, token),
    resetPassword: (token, password) => sessions.resetPassword(deps, token, password),
    csrfKey: () => siteSecret(db, 'admin-csrf'),
    forgetExpiredSessions: (limit) => accountStore.deleteExpiredSessions(db, now().toISOString(), limit),
    forgetExpiredLinks: (limit) => accountStore.deleteExpiredLinks(db, now().toISOString(), limit),
  }
}
