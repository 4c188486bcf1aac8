/** @module `broadsheet akismet-key create --site URL`: a key for the Akismet-compatible API. */
import type { Config } from '../config/config.ts'
import { createAkismetKey } from '../spam-filter/akismet-keys.ts'
import { openSite } from '../site.ts'
import { CliFailure } from './main.ts'

export async function akismetKeyCreateCommand(config: Config, site: string): Promise<void> {
  let url: URL
  try {
    url = new URL(site)
  } catch {
    throw new CliFailure(`--site: "${site}" is not a URL (e.g. https://blog.example.org)`)
  }
  if (!/^https?:$/.test(url.protocol)) throw new CliFailure('--site: must be an http(s) URL')
  const opened = await openSite(config, { seed: false })
  try {
    const { key } = await createAkismetKey(opened.db, url.toString())
    process.stdout.write(`${key}\n`)
    process.stderr.write(`Use it as the Akismet API key of ${url.host}, with ${config.baseUrl} in place of rest.akismet.com. It is shown only this once.\n`)
  } finally {
    await opened.close()
  }
}
