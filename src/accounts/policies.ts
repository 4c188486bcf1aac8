/** @module What each role may do, declared in one place. */
import type { Role } from './authors.ts'

export type Capability = 'moderate_comments' | 'publish_articles' | 'manage_site' | 'handle_privacy_requests'

const capabilities: Record<Role, readonly Capability[]> = {
  administrator: ['moderate_comments', 'publish_articles', 'manage_site', 'handle_privacy_requests'],
  editor: ['moderate_comments', 'publish_articles'],
  author: ['publish_articles'],
  contributor: [],
}

export function can(role: Role, capability: Capability): boolean {
  return capabilities[role].includes(capability)
}
