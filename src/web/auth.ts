/**
 * @module Who is asking: bearer tokens for the admin API (sessions join them with the newsroom
 * UI), and the route-level hook that lets only holders of a capability through.
 */
import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify'
import { can, type Capability, type User } from '../accounts/accounts.ts'
import { Forbidden, Unauthorized } from '../errors.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user or API token holder; set by `requireCapability`. */
    user: User | null
  }
}

const bearerRe = /^Bearer\s+(\S+)$/i

/** The user behind the request's credentials, if any. */
export async function authenticate(req: FastifyRequest): Promise<User | undefined> {
  const token = bearerRe.exec(req.headers.authorization ?? '')?.[1]
  return token ? req.server.services.accounts.userForToken(token) : undefined
}

/**
 * A route's gate: 401 without valid credentials, 403 for a role without the capability. It runs
 * before the body is parsed, so strangers' requests are refused before any work is done.
 * @example app.get('/api/v1/admin/settings', { onRequest: requireCapability('manage_site') }, …)
 */
export function requireCapability(capability: Capability): onRequestAsyncHookHandler {
  return async (req) => {
    const user = await authenticate(req)
    if (!user) throw new Unauthorized('Send a valid API token: Authorization: Bearer <token> (make one with broadsheet token create --email E).')
    if (!can(user.role, capability)) throw new Forbidden(`Your role (${user.role}) may not do this.`)
    req.user = user
  }
}
