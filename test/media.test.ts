import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { describe, test } from 'node:test'
import sharp from 'sharp'
import { runCli } from './support/cli.ts'
import { DIALECTS } from './support/dialects.ts'
import { hasGpsBlock, jpegWithGps, png, uploadImage } from './support/images.ts'
import { testSite, type TestSite } from './support/test-site.ts'

interface MediaJson {
  id: number
  reference: string
  alt: string
  caption: string
  credit: string
  width: number
  height: number
  url: string
  variants: { width: number; height: number; format: 'webp' | 'jpeg'; url: string }[]
  original_name: string
}

/** Fetches a variant from the server by its public URL (the site's base URL is news.test). */
function fetchVariant(t: TestSite, url: string): Promise<Response> {
  return t.get(new URL(url).pathname)
}

async function mediaCount(t: TestSite): Promise<number> {
  const row = await t.site.db.selectFrom('media').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()
  return Number(row.n)
}

function filesIn(t: TestSite): string[] {
  const folder = path.join(t.dataDir, 'media')
  return fs.existsSync(folder) ? fs.readdirSync(folder) : []
}

for (const dialect of DIALECTS) {
  describe(`image uploads on ${dialect}`, () => {
    test('a camera JPEG is stored without its EXIF and GPS, in three widths of WebP and JPEG', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const editor = await t.factories.staff('editor')
      const original = await jpegWithGps(2000, 1200)
      assert.ok(hasGpsBlock((await sharp(original).metadata()).exif), 'the test photo should carry a GPS position to begin with')

      const res = await uploadImage(t, editor.token, original, 'IMG_0042.jpg', { alt: 'The flood barrier at dawn', caption: 'The barrier held', credit: 'Jane Roe / Agency' })
      assert.equal(res.status, 201, await res.clone().text())
      const image = (await res.json()) as MediaJson
      assert.match(image.reference, /^media:\d+$/)
      assert.equal(image.alt, 'The flood barrier at dawn')
      assert.equal(image.credit, 'Jane Roe / Agency')
      assert.equal(image.original_name, 'IMG_0042.jpg')
      assert.deepEqual([image.width, image.height], [1600, 960])
      assert.deepEqual(
        image.variants.map((v) => `${v.width}x${v.height}.${v.format}`),
        ['480x288.webp', '480x288.jpeg', '960x576.webp', '960x576.jpeg', '1600x960.webp', '1600x960.jpeg'],
      )

      for (const variant of image.variants) {
        const served = await fetchVariant(t, variant.url)
        assert.equal(served.status, 200)
        assert.equal(served.headers.get('content-type'), variant.format === 'webp' ? 'image/webp' : 'image/jpeg')
        assert.equal(served.headers.get('cache-control'), 'public, max-age=31536000, immutable')
        const bytes = Buffer.from(await served.arrayBuffer())
        const meta = await sharp(bytes).metadata()
        assert.equal(meta.format, variant.format)
        assert.equal(meta.width, variant.width)
        assert.equal(meta.exif, undefined, `${variant.url} still carries EXIF`)
        assert.ok(!bytes.includes('RiversideCam'), `${variant.url} still names the camera`)
      }
    })

    test('a PNG smaller than the largest width is never enlarged', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const author = await t.factories.staff('author')
      const res = await uploadImage(t, author.token, await png(640, 400), 'chart.png', { alt: 'Rainfall by month' }, 'image/png')
      assert.equal(res.status, 201, await res.clone().text())
      const image = (await res.json()) as MediaJson
      assert.deepEqual([...new Set(image.variants.map((v) => v.width))], [480, 640])
      assert.deepEqual([image.width, image.height], [640, 400])
    })

    test('a file over 50 MB is refused with 413 and nothing is stored', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const editor = await t.factories.staff('editor')
      const huge = Buffer.alloc(50 * 1024 * 1024 + 1, 0xff)
      const res = await uploadImage(t, editor.token, huge, 'huge.jpg', { alt: 'Too big' })
      assert.equal(res.status, 413)
      const body = (await res.json()) as { error: { code: string; message: string } }
      assert.equal(body.error.code, 'image_too_large')
      assert.match(body.error.message, /the limit is 50 MB/)
      assert.equal(await mediaCount(t), 0)
      assert.deepEqual(filesIn(t), [])
    })

    test('a text file named .jpg is refused as not an image', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const editor = await t.factories.staff('editor')
      const res = await uploadImage(t, editor.token, Buffer.from('This is a press release, not a photograph.\n'), 'photo.jpg', { alt: 'A photo' })
      assert.equal(res.status, 400)
      const body = (await res.json()) as { error: { code: string; message: string } }
      assert.equal(body.error.code, 'not_an_image')
      assert.match(body.error.message, /not an image this site accepts/)
      assert.equal(await mediaCount(t), 0)
    })

    test('an image without alt text is refused, naming the field', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const editor = await t.factories.staff('editor')
      const res = await uploadImage(t, editor.token, await png(), 'chart.png', { caption: 'No alt' }, 'image/png')
      assert.equal(res.status, 400)
      assert.match(((await res.json()) as { error: { message: string } }).error.message, /^alt: is required/)
      assert.equal(await mediaCount(t), 0)
      assert.deepEqual(filesIn(t), [])
    })

    test('uploads need a token whose role may publish', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const contributor = await t.factories.staff('contributor')
      assert.equal((await uploadImage(t, undefined, await png(), 'a.png', { alt: 'A' })).status, 401)
      assert.equal((await uploadImage(t, contributor.token, await png(), 'a.png', { alt: 'A' })).status, 403)
      assert.equal(await mediaCount(t), 0)
    })
  })
}

describe('images outside the upload', () => {
  test('a sideways phone photo is stored upright', async (ctx) => {
    const t = await testSite(ctx)
    const image = await t.site.services.media.add(await jpegWithGps(2000, 1200, { orientation: 6 }), { alt: 'Portrait' })
    assert.deepEqual([image.width, image.height], [1200, 2000])
    assert.deepEqual([...new Set(image.variants.map((v) => v.width))], [480, 960, 1200])
  })

  // Found by the property tests: the multipart parser's own errors used to surface as a 500.
  test('an upload that is not well-formed multipart is told 400, with nothing stored', async (ctx) => {
    const t = await testSite(ctx)
    const token = await t.staffToken('editor')
    const broken: [string, string][] = [
      ['multipart/form-data', '{"alt":"no boundary"}'],
      ['multipart/form-data; boundary=b', '--b\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n\r\ncut short'],
    ]
    for (const [type, body] of broken) {
      const response = await fetch(`${t.url}/api/v1/admin/media`, { method: 'POST', body, headers: { authorization: `Bearer ${token}`, 'content-type': type } })
      assert.equal(response.status, 400, `${type} with ${JSON.stringify(body.slice(0, 30))} answered ${response.status}`)
      const { error } = (await response.json()) as { error: { code: string; message: string } }
      assert.match(error.message, /multipart/, 'the message says what is wrong with the upload')
    }
    assert.equal(await mediaCount(t), 0)
    assert.deepEqual(filesIn(t), [])
  })

  test('an unknown image file answers 404', async (ctx) => {
    const t = await testSite(ctx)
    assert.equal((await t.get('/media/0123456789abcdef0123-960.webp')).status, 404)
    assert.equal((await t.get('/media/../broadsheet.db')).status, 404)
  })

  test('broadsheet media add prints the reference and the URL; bad input exits 1 or 2 with one line', async (ctx) => {
    const t = await testSite(ctx)
    const photo = path.join(t.dataDir, 'harbour.jpg')
    fs.writeFileSync(photo, await jpegWithGps(1000, 600))
    const added = await runCli(['media', 'add', photo, '--alt', 'Boats in the harbour', '--caption', 'Low tide', '--credit', 'Jane Roe / Agency'], t.env)
    assert.equal(added.code, 0, added.stderr)
    const [reference, url] = added.stdout.trim().split(' ')
    assert.match(reference!, /^media:\d+$/)
    assert.match(url!, /^http:\/\/news\.test\/media\/[0-9a-f]+-1000\.jpg$/)
    assert.equal((await fetchVariant(t, url!)).status, 200)

    const text = path.join(t.dataDir, 'notes.jpg')
    fs.writeFileSync(text, 'not an image')
    const refused = await runCli(['media', 'add', text, '--alt', 'Notes'], t.env)
    assert.equal(refused.code, 1)
    assert.match(refused.stderr, /^broadsheet: image: the file is not an image/)
    assert.equal(refused.stderr.trim().split('\n').length, 1)

    const noAlt = await runCli(['media', 'add', photo], t.env)
    assert.equal(noAlt.code, 2)
  })
})
