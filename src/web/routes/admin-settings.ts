/** @module Site settings over the admin API: read them all, change some (administrators). */
import { z } from 'zod'
import { SettingsSchema } from '../../settings/schema.ts'
import type { SiteSettings } from '../../settings/settings.ts'
import { requireCapability } from '../auth.ts'
import type { App } from '../server.ts'

const known = Object.keys(SettingsSchema.shape)
/** Which settings to change; each value is checked with all the others by the settings module. */
const SettingsChanges = z.strictObject(Object.fromEntries(known.map((key) => [key, z.unknown().optional()])), {
  error: (issue) => (issue.code === 'unrecognized_keys' ? `is not a setting (known: ${known.join(', ')})` : 'Send the settings to change as a JSON object'),
})
const administrators = requireCapability('manage_site')

export function registerAdminSettingsRoutes(app: App): void {
  app.get('/api/v1/admin/settings', { onRequest: administrators }, async (_req, reply) => {
    reply.header('cache-control', 'no-store')
    return app.services.settings.read()
  })

  app.patch('/api/v1/admin/settings', { onRequest: administrators, schema: { body: SettingsChanges } }, async (req, reply) => {
    reply.header('cache-control', 'no-store')
    return app.services.settings.update(req.body as Partial<SiteSettings>)
  })
}
