/** @module `broadsheet akismet-key create --site URL`: a key for the Akismet-compatible API. */
import type { Config } from '../config/config.ts'
import { openSite } from '../site.ts'
import { Invalid } from '../errors.ts'

export async function akismetKeyCreateCommand(config: Config, site: string): Promise<void> {
  let url: URL
  try {
    url = new URL(site)
  } catch {
    throw new Invalid(`--site: "${site}" is not a URL (e.g. https://blog.example.org)`)
  }
  if (!/^https?:$/.test(url.protocol)) throw new Invalid('--site: must be an http(s) URL')
  const opened = await openSite(config, { seed: false })
  try {
    const { key } = await opened.services.akismet.createKey(url.toString())
    process.stdout.write(`${key}\n`)
    process.stderr.write(`Use it as the Akismet API key of ${url.host}, with ${config.baseUrl} in place of rest.akismet.com. It is shown only this once.\n`)
  } finally {
    await opened.close()
  }
}
