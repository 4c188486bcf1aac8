import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { describe, test } from 'node:test'
import { runCli } from './support/cli.ts'
import { DIALECTS } from './support/dialects.ts'
import { jpegWithGps } from './support/images.ts'
import { testSite } from './support/test-site.ts'

/** The page's NewsArticle, as search engines read it. */
function newsArticle(page: string): Record<string, any> {
  const json = /<script type="application\/ld\+json">(.*?)<\/script>/s.exec(page)![1]!
  return (JSON.parse(json)['@graph'] as Record<string, any>[]).find((n) => n['@type'] === 'NewsArticle')!
}

for (const dialect of DIALECTS) {
  describe(`featured images on article pages (${dialect})`, () => {
    test('the lead image has a picture with WebP and JPEG srcsets, its size, its caption and credit, and shows in cards and structured data', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const image = await t.factories.image({ alt: 'The flood barrier at dawn', caption: 'The barrier held overnight.', credit: 'Jane Roe / Agency' })
      const story = await t.factories.article({ title: 'Barrier holds', imageId: image.id })
      const page = await (await t.get(story.path)).text()

      const fig = /<figure class="lead-image">(.*?)<\/figure>/s.exec(page)?.[1]
      assert.ok(fig, 'the article should open with its lead image in a figure')
      assert.match(fig, /<source type="image\/webp" srcset="\/media\/[0-9a-f]+-480\.webp 480w, \/media\/[0-9a-f]+-960\.webp 960w, \/media\/[0-9a-f]+-1600\.webp 1600w" sizes="[^"]+">/)
      assert.match(fig, /<img src="\/media\/[0-9a-f]+-960\.jpg" srcset="[^"]*-480\.jpg 480w, [^"]*-960\.jpg 960w, [^"]*-1600\.jpg 1600w" sizes="[^"]+" alt="The flood barrier at dawn" width="1600" height="960"/)
      assert.match(fig, /fetchpriority="high"/, 'the lead image is above the fold: not lazy')
      assert.doesNotMatch(fig, /loading="lazy"/)
      assert.match(fig, /<figcaption>The barrier held overnight\. <span class="credit">Photo: Jane Roe \/ Agency<\/span><\/figcaption>/)

      assert.match(page, /<meta property="og:image" content="http:\/\/news\.test\/media\/[0-9a-f]+-1600\.jpg">/)
      assert.match(page, /<meta property="og:image:alt" content="The flood barrier at dawn">/)
      assert.match(page, /<meta name="twitter:card" content="summary_large_image">/)
      const ld = newsArticle(page)
      assert.equal(ld.image['@type'], 'ImageObject')
      assert.match(ld.image.url, /^http:\/\/news\.test\/media\/[0-9a-f]+-1600\.jpg$/)
      assert.equal(ld.image.creditText, 'Photo: Jane Roe / Agency')
      assert.equal(ld.image.copyrightNotice, '© Jane Roe / Agency')
      assert.equal(ld.image.license, 'http://news.test/reuse/')
      assert.deepEqual([ld.image.width, ld.image.height], [1600, 960])

      const served = await t.get(/<img src="([^"]+)"/.exec(fig)![1]!)
      assert.equal(served.status, 200)
      assert.equal(served.headers.get('content-type'), 'image/jpeg')
    })

    test('a story without an image has no figure, a summary card and no image in its structured data', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const story = await t.factories.article({ title: 'Council meets' })
      const page = await (await t.get(story.path)).text()
      assert.doesNotMatch(page, /<figure|<picture|og:image/)
      assert.match(page, /<meta name="twitter:card" content="summary">/)
      assert.equal(newsArticle(page).image, undefined)
    })

    test('an article naming an image that does not exist is refused, naming the field', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      await assert.rejects(t.factories.article({ title: 'Ghost picture', imageId: 999 }), /^InvalidArticle: image: there is no image media:999$/)
    })
  })
}

describe('front matter images through broadsheet publish', () => {
  test('image: {file, alt, caption, credit} adds the file once and the page shows it; media:ID reuses one; a missing one fails with one line', async (ctx) => {
    const t = await testSite(ctx)
    fs.writeFileSync(path.join(t.dataDir, 'harbour.jpg'), await jpegWithGps(1200, 800))
    const story = path.join(t.dataDir, 'harbour.md')
    const file = (image: string) => `---\ntitle: Boats return to the harbour\ndate: 2026-11-20T08:00:00Z\n${image}\n---\nThe fleet came home.\n`
    fs.writeFileSync(story, file('image:\n  file: harbour.jpg\n  alt: Fishing boats moored at low tide\n  caption: The fleet at rest.\n  credit: Jane Roe / Agency'))

    const first = await runCli(['publish', story], t.env)
    assert.equal(first.code, 0, first.stderr)
    const again = await runCli(['publish', story], t.env)
    assert.equal(again.code, 0, again.stderr)
    const count = await t.site.db.selectFrom('media').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()
    assert.equal(Number(count.n), 1, 'publishing the same file twice keeps one image')

    const page = await (await t.get('/2026/11/20/boats-return-to-the-harbour/')).text()
    assert.match(page, /alt="Fishing boats moored at low tide" width="1200" height="800"/)
    assert.match(page, /<span class="credit">Photo: Jane Roe \/ Agency<\/span>/)

    const image = await t.site.db.selectFrom('media').select('id').executeTakeFirstOrThrow()
    fs.writeFileSync(story, file(`image: media:${image.id}`))
    assert.equal((await runCli(['publish', story], t.env)).code, 0)

    fs.writeFileSync(story, file('image: media:999'))
    const missing = await runCli(['publish', story], t.env)
    assert.equal(missing.code, 1)
    assert.equal(missing.stderr, 'broadsheet: image: there is no image media:999\n')

    fs.writeFileSync(story, file('image:\n  file: harbour.jpg'))
    const noAlt = await runCli(['publish', story], t.env)
    assert.equal(noAlt.code, 1)
    assert.match(noAlt.stderr, /^broadsheet: image\.alt: is required/)

    fs.writeFileSync(story, file('image:\n  file: nowhere.jpg\n  alt: Nothing'))
    const noFile = await runCli(['publish', story], t.env)
    assert.equal(noFile.code, 1)
    assert.match(noFile.stderr, /^broadsheet: cannot read .*nowhere\.jpg: ENOENT/)
  })
})

describe('images beyond uploads', () => {
  test('the demo stories carry their own drawn illustrations, credited, on the front page and the article', async (ctx) => {
    const t = await testSite(ctx, { env: { BROADSHEET_DEMO: '1' } })
    await t.site.services.articles.hasAny()
    const front = await (await t.get('/')).text()
    assert.match(front, /<picture><source type="image\/webp"/)
    const flood = await (await t.get('/2026/11/23/flood-barrier-holds/')).text()
    assert.match(flood, /<figure class="lead-image">[\s\S]*?alt="Grey barrier panels along a quay[^"]*"[\s\S]*?<span class="credit">Illustration: Broadsheet demo<\/span>/)
  })

  test('an image that lives elsewhere (an import) is shown from its address, with its words', async (ctx) => {
    const t = await testSite(ctx)
    const remote = await t.site.services.media.addRemote({ url: 'https://old.example.org/wp-content/uploads/2019/05/quay.jpg', alt: 'The old quay', credit: 'Archive', width: 1200, height: 800 })
    assert.equal(remote.reference, `media:${remote.id}`)
    const story = await t.factories.article({ title: 'From the archive', imageId: remote.id })
    const page = await (await t.get(story.path)).text()
    assert.match(page, /<figure class="lead-image"><img src="https:\/\/old.example.org\/wp-content\/uploads\/2019\/05\/quay.jpg" alt="The old quay" width="1200" height="800"/)
    assert.match(page, /<meta property="og:image" content="https:\/\/old.example.org\/wp-content\/uploads\/2019\/05\/quay.jpg">/)
    await assert.rejects(t.site.services.media.addRemote({ url: 'javascript:alert(1)', alt: 'x' }), /^InvalidImage: url: /)
  })
})
