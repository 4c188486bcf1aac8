/** @module The accounts service: who may sign in or call the admin API, and who signs articles. */
import type { DB } from '../storage/database.ts'
import { findAuthorBySlug, type Author } from './authors.ts'
import { addUser, createApiToken, hasAnyUser, moderatorEmails, userForToken, type NewUser, type User } from './users.ts'

export type { Author, Role } from './authors.ts'
export type { User } from './users.ts'
export { can, type Capability } from './policies.ts'

export interface AccountsService {
  addUser(input: NewUser): Promise<User>
  createApiToken(email: string): Promise<string>
  userForToken(token: string): Promise<User | undefined>
  moderatorEmails(): Promise<string[]>
  hasAnyUser(): Promise<boolean>
  authorBySlug(slug: string): Promise<Author | undefined>
}

/**
 * @example const accounts = accountsService(db, () => new Date()); await accounts.addUser({ email, name, role: 'editor' })
 */
export function accountsService(db: DB, now: () => Date): AccountsService {
  return {
    addUser: (input) => addUser(db, input, now()),
    createApiToken: (email) => createApiToken(db, email, now()),
    userForToken: (token) => userForToken(db, token),
    moderatorEmails: () => moderatorEmails(db),
    hasAnyUser: () => hasAnyUser(db),
    authorBySlug: (slug) => findAuthorBySlug(db, slug),
  }
}
