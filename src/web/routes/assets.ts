/**
 * @module The site's own static files: the stylesheet (hashed name, cached for a year, brotli and
 * gzip made once at start), the favicon and app icons, and the web app manifest.
 */
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { App } from '../server.ts'
import { APP_ICON, FAVICON_ICO, MANIFEST, SITE_ICON } from '../urls.ts'
import { siteCss, siteCssPath, siteIcon } from '../views/layout.ts'
import { loadSharp } from '../../media/sharp.ts'

const IMMUTABLE = 'public, max-age=31536000, immutable'
const A_DAY = 'public, max-age=86400'

/** A text asset in each encoding a browser may take, compressed at the highest levels once. */
interface Precompressed {
  readonly identity: Buffer
  readonly br: Buffer
  readonly gzip: Buffer
}

function precompress(text: string): Precompressed {
  const identity = Buffer.from(text)
  return {
    identity,
    br: brotliCompressSync(identity, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT } }),
    gzip: gzipSync(identity, { level: 9 }),
  }
}

const acceptsRe = (coding: string) => new RegExp(`(?:^|,)\\s*${coding}\\s*(?:;\\s*q=(?!0(?:\\.0*)?\\s*(?:,|$))[\\d.]+)?\\s*(?:,|$)`, 'i')
const acceptsBrotli = acceptsRe('br')
const acceptsGzip = acceptsRe('gzip')

function sendPrecompressed(req: FastifyRequest, reply: FastifyReply, asset: Precompressed, type: string, cacheControl: string) {
  const accepted = req.headers['accept-encoding'] ?? ''
  const encoding = acceptsBrotli.test(accepted) ? 'br' : acceptsGzip.test(accepted) ? 'gzip' : 'identity'
  reply.type(type).header('cache-control', cacheControl).header('vary', 'Accept-Encoding')
  if (encoding !== 'identity') reply.header('content-encoding', encoding)
  return reply.send(asset[encoding])
}

/** The icon sizes the manifest offers (Android's home screen and splash screen). */
export const APP_ICON_SIZES = [192, 512] as const

export function registerAssetRoutes(app: App): void {
  const css = precompress(siteCss)
  const icon = precompress(siteIcon)
  app.get(siteCssPath, (req, reply) => sendPrecompressed(req, reply, css, 'text/css; charset=utf-8', IMMUTABLE))
  app.get(SITE_ICON, (req, reply) => sendPrecompressed(req, reply, icon, 'image/svg+xml', A_DAY))

  // PNG renderings of the SVG icon, made by sharp on first request and kept.
  const rendered = new Map<number, Promise<Buffer>>()
  const png = (size: number) => {
    let made = rendered.get(size)
    if (!made) {
      made = loadSharp().then((sharp) => sharp(Buffer.from(siteIcon), { density: Math.ceil((72 * size) / 64) }).resize(size, size).png().toBuffer())
      made.catch(() => rendered.delete(size))
      rendered.set(size, made)
    }
    return made
  }
  // Browsers ask for /favicon.ico whatever the page says; a PNG inside answers them.
  app.get(FAVICON_ICO, async (_req, reply) => reply.type('image/png').header('cache-control', A_DAY).send(await png(32)))
  for (const size of APP_ICON_SIZES) {
    app.get(APP_ICON(size), async (_req, reply) => reply.type('image/png').header('cache-control', A_DAY).send(await png(size)))
  }

  app.get(MANIFEST, async (_req, reply) => {
    const { settings } = await app.siteContext()
    const manifest = {
      name: settings.title,
      short_name: settings.title.length > 12 ? settings.title.split(/\s+/).map((w) => w[0]).join('').slice(0, 12) : settings.title,
      description: settings.tagline,
      lang: settings.language,
      start_url: '/',
      scope: '/',
      display: 'browser',
      background_color: '#fdfcf9',
      theme_color: '#1a1a1a',
      icons: [
        { src: SITE_ICON, sizes: 'any', type: 'image/svg+xml' },
        ...APP_ICON_SIZES.map((size) => ({ src: APP_ICON(size), sizes: `${size}x${size}`, type: 'image/png' })),
      ],
    }
    return reply.type('application/manifest+json; charset=utf-8').header('cache-control', 'public, max-age=3600').send(JSON.stringify(manifest))
  })
}
