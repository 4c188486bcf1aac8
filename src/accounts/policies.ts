/** @module What each role may do, declared in one place (WordPress's roles and the capabilities Broadsheet uses). */
import type { Role } from './authors.ts'

export type Capability =
  /** Sign in to /admin/ and write one's own drafts (every role). */
  | 'edit_articles'
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
  administrator: ['edit_articles', 'publish_articles', 'edit_others_articles', 'moderate_comments', 'manage_site', 'manage_users', 'handle_privacy_requests'],
  editor: ['edit_articles', 'publish_articles', 'edit_others_articles', 'moderate_comments'],
  author: ['edit_articles', 'publish_articles'],
  contributor: ['edit_articles'],
}

export function can(role: Role, capability: Capability): boolean {
  return capabilities[role].includes(capability)
}

interface Actor {
  readonly id: number
  readonly role: Role
}

/** Whether the user may change an article with these bylines (user ids): their own, or anyone's with `edit_others_articles`. */
export function canEditArticle(user: Actor, authorIds: readonly number[]): boolean {
  return can(user.role, 'edit_others_articles') || (can(user.role, 'edit_articles') && authorIds.includes(user.id))
}

/** Whether the user may publish, schedule or unpublish an article with these bylines. */
export function canPublishArticle(user: Actor, authorIds: readonly number[]): boolean {
  return can(user.role, 'publish_articles') && canEditArticle(user, authorIds)
}

/** Whether the user may write the bylines themselves (editors do; authors and contributors sign their own work). */
export function canSetBylines(user: Actor): boolean {
  return can(user.role, 'edit_others_articles')
}
