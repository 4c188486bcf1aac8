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
