/**
 * @module What each role may do, declared in one place: site-wide capabilities by role, and the
 * rules over one article (WordPress's: administrators and editors edit and publish anyone's;
 * authors publish and edit their own; contributors write their own drafts and submit them for
 * review). The admin API and the admin UI both ask these functions, so they cannot disagree.
 */
import type { Role } from './authors.ts'

export type Capability =
  /** Sign in to /admin/ and write one's own drafts (every role). */
  | 'write_articles'
  /** Publish, schedule and unpublish (one's own, unless also `edit_others_articles`). */
  | 'publish_articles'
  /** Edit and publish articles of other people. */
  | 'edit_others_articles'
  | 'moderate_comments'
  /** Site settings. */
  | 'manage_site'
  /** Users, roles and everyone's API tokens. */
  | 'manage_users'
  | 'handle_privacy_requests'

const capabilities: Record<Role, readonly Capability[]> = {
  administrator: ['moderate_comments', 'publish_articles', 'write_articles', 'edit_others_articles', 'manage_site', 'manage_users', 'handle_privacy_requests'],
  editor: ['moderate_comments', 'publish_articles', 'write_articles', 'edit_others_articles'],
  author: ['publish_articles', 'write_articles'],
  contributor: ['write_articles'],
}

export function can(role: Role, capability: Capability): boolean {
  return capabilities[role].includes(capability)
}

/** Whoever asks: a signed-in user or an API token's holder. */
export interface Actor {
  readonly id: number
  readonly role: Role
}

/** What the article rules look at: who signs it and what state it is in. */
export interface OwnedArticle {
  readonly status: string
  readonly authors: readonly { readonly id: number }[]
}

/** States a contributor's own article may be edited in: before anyone published it. */
const UNPUBLISHED_STATES: readonly string[] = ['draft', 'pending']

export const isAuthorOf = (user: Actor, article: OwnedArticle): boolean => article.authors.some((a) => a.id === user.id)

/** Edits and publishes everyone's articles (administrators and editors). */
export const canEditOthers = (user: Actor): boolean => can(user.role, 'edit_others_articles')

/** Makes an article public, now or at a date (everyone but contributors). */
export const canPublish = (user: Actor): boolean => can(user.role, 'publish_articles')

/**
 * @example canEditArticle({ id: 3, role: 'author' }, { status: 'published', authors: [{ id: 3 }] }) // true
 */
export function canEditArticle(user: Actor, article: OwnedArticle): boolean {
  if (canEditOthers(user)) return true
  if (!isAuthorOf(user, article)) return false
  return canPublish(user) || UNPUBLISHED_STATES.includes(article.status)
}

/** Publish, schedule or unpublish this article. */
export const canPublishArticle = (user: Actor, article: OwnedArticle): boolean => canPublish(user) && canEditArticle(user, article)

/** Delete it (as WordPress: a contributor only their own unpublished drafts). */
export const canDeleteArticle = (user: Actor, article: OwnedArticle): boolean => canEditArticle(user, article)

/** Add a correction to it once published: whoever may publish it. */
export const canCorrectArticle = (user: Actor, article: OwnedArticle): boolean => canPublishArticle(user, article)

/** Read and add private source notes: the article's own authors, and editors and administrators. */
export const canUseSourceNotes = (user: Actor, article: OwnedArticle): boolean => canEditOthers(user) || isAuthorOf(user, article)

/** Whether the user writes the bylines (editors do; authors and contributors sign their own work). */
export const canSetBylines = (user: Actor): boolean => canEditOthers(user)
