/** @module Site settings over the admin API: read them all, change some (administrators). */
import type { FastifyInstance } from 'fastify'
import { readSettings, updateSettings, type SiteSettings } from '../../settings/settings.ts'
import { SettingsSchema } from '../../settings/schema.ts'
import { HttpError } from '../errors.ts'
import { authorise } from './admin-comments.ts'

export function registerAdminSettingsRoutes(app: FastifyInstance): void {
  app.get('/api/v1/admin/settings', async (req, reply) => {
    await authorise(app, req, 'manage_site')
    reply.header('cache-control', 'no-store')
    return readSettings(app.site.db)
  })

  app.patch('/api/v1/admin/settings', async (req, reply) => {
    await authorise(app, req, 'manage_site')
    const body = req.body
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'invalid_input', 'Send the settings to change as a JSON object.')
    const known = Object.keys(SettingsSchema.shape)
    const unknown = Object.keys(body).find((k) => !known.includes(k))
    if (unknown) throw new HttpError(400, 'invalid_input', `${unknown}: is not a setting (known: ${known.join(', ')}).`)
    reply.header('cache-control', 'no-store')
    return updateSettings(app.site.db, body as Partial<SiteSettings>)
  })
}
