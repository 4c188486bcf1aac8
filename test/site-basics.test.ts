import assert from 'node:assert/strict'
import http from 'node:http'
import { describe, test } from 'node:test'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import sharp from 'sharp'
import { testSite, type TestSite } from './support/test-site.ts'

/** A GET as a browser sends it with this Accept-Encoding, the body as it came over the wire. */
function rawGet(t: TestSite, path: string, acceptEncoding?: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.get(t.url + path, { headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }))
    })
    req.on('error', reject)
  })
}

describe('compression, caching, icons and the manifest', () => {
  test('pages and feeds come in brotli or gzip as the browser asks, and read the same as uncompressed', async (ctx) => {
    const t = await testSite(ctx)
    const story = await t.factories.article({ title: 'Barrier holds', body: 'The river rose all night. '.repeat(200) })
    for (const path of ['/', story.path, '/feed/', '/privacy/']) {
      const plain = await rawGet(t, path)
      assert.equal(plain.headers['content-encoding'], undefined, path)
      const br = await rawGet(t, path, 'gzip, deflate, br')
      assert.equal(br.headers['content-encoding'], 'br', path)
      assert.equal(brotliDecompressSync(br.body).toString(), plain.body.toString(), path)
      assert.ok(br.body.length < plain.body.length / 2, `${path}: ${br.body.length} of ${plain.body.length} bytes`)
      const gzip = await rawGet(t, path, 'gzip')
      assert.equal(gzip.headers['content-encoding'], 'gzip', path)
      assert.equal(gunzipSync(gzip.body).toString(), plain.body.toString(), path)
    }
  })

  test('the stylesheet is precompressed and cached for a year under its hashed name; images are sent as they are', async (ctx) => {
    const t = await testSite(ctx)
    const image = await t.factories.image({ alt: 'Quay' })
    const page = (await rawGet(t, '/')).body.toString()
    const cssPath = /<link rel="stylesheet" href="(\/assets\/site\.[0-9a-f]{10}\.css)">/.exec(page)![1]!
    const plain = await rawGet(t, cssPath)
    assert.equal(plain.headers['cache-control'], 'public, max-age=31536000, immutable')
    const br = await rawGet(t, cssPath, 'br;q=1, gzip;q=0.5')
    assert.equal(br.headers['content-encoding'], 'br')
    assert.match(br.headers.vary ?? '', /accept-encoding/i)
    assert.equal(brotliDecompressSync(br.body).toString(), plain.body.toString())
    assert.equal((await rawGet(t, cssPath, 'gzip, br;q=0')).headers['content-encoding'], 'gzip', 'a refused coding is not used')

    const variant = await rawGet(t, `/media/${image.variants.at(-1)!.key}`, 'gzip, br')
    assert.equal(variant.headers['content-encoding'], undefined)
    assert.equal((await sharp(variant.body).metadata()).format, 'jpeg')
  })

  test('the manifest names the site and its icons, which are real PNGs of their size', async (ctx) => {
    const t = await testSite(ctx)
    await t.settings({ title: 'The Riverside Gazette' })
    const page = (await rawGet(t, '/')).body.toString()
    assert.match(page, /<link rel="manifest" href="\/manifest.webmanifest">/)
    const res = await t.get('/manifest.webmanifest')
    assert.equal(res.status, 200)
    assert.match(res.headers.get('content-type')!, /^application\/manifest\+json/)
    const manifest = (await res.json()) as { name: string; short_name: string; start_url: string; icons: { src: string; sizes: string; type: string }[] }
    assert.equal(manifest.name, 'The Riverside Gazette')
    assert.ok(manifest.short_name.length <= 12)
    assert.equal(manifest.start_url, '/')
    for (const icon of manifest.icons.filter((i) => i.type === 'image/png')) {
      const png = await t.get(icon.src)
      assert.equal(png.status, 200, icon.src)
      const meta = await sharp(Buffer.from(await png.arrayBuffer())).metadata()
      assert.equal(`${meta.width}x${meta.height}`, icon.sizes)
      assert.equal(meta.format, 'png')
    }
    const ico = await t.get('/favicon.ico')
    assert.equal(ico.status, 200)
    assert.equal((await sharp(Buffer.from(await ico.arrayBuffer())).metadata()).width, 32)
  })

  test('main.wrap keeps its top padding (the kicker never touches the navigation rule)', async (ctx) => {
    const t = await testSite(ctx)
    const page = (await rawGet(t, '/')).body.toString()
    const css = (await rawGet(t, /href="(\/assets\/[^"]+\.css)"/.exec(page)![1]!)).body.toString()
    assert.match(page, /<main id="content" class="wrap[^"]*">/)
    assert.match(css, /main, main\.wrap \{ padding-top: 1\.5rem;/)
  })
})

describe('the privacy page in practice', () => {
  test('it says what request logs keep and for how long, and where to write without e-mail', async (ctx) => {
    const t = await testSite(ctx)
    let page = await (await t.get('/privacy/')).text()
    assert.match(page, /<h2>Request logs<\/h2>\n<p>The web server logs each request: [^<]*your network, never your full IP address[^<]*203\.0\.113\.0[^<]*kept for 14 days, then deleted\.<\/p>/)
    assert.match(page, /Write to the editors from the address you comment with/)
    assert.match(page, /<td data-label="For how long">/, 'on a phone each row reads as a list')
    await t.settings({ contactEmail: 'editors@riverside.example', logRetentionDays: 7 })
    page = await (await t.get('/privacy/')).text()
    assert.match(page, /Write to the editors at <a href="mailto:editors@riverside.example">editors@riverside.example<\/a>/)
    assert.match(page, /kept for 7 days/)
  })

  test('a contact address that is not one is refused', async (ctx) => {
    const t = await testSite(ctx)
    const token = await t.staffToken('administrator')
    const res = await t.api('/api/v1/admin/settings', { method: 'PATCH', token, body: { contactEmail: 'editors at riverside' } })
    assert.equal(res.status, 400)
    assert.match(((await res.json()) as { error: { message: string } }).error.message, /^contactEmail: /)
  })
})
