/** Each rule of the embed policy (docs/embed-policy.md), as an article's or a comment's stored HTML shows it. */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { renderArticleBody } from '../articles/markdown.ts'
import { renderCommentText } from '../comments/comment-markdown.ts'
import { isOnThisSite, sanitizeArticleHtml } from './embed-policy.ts'

describe('what an article may embed', () => {
  test('the tags of news writing stay: headings, lists, tables, quotes, figures with captions, pictures, details', () => {
    const html = '<h2>Costs</h2><ul><li>one</li></ul><table><tr><th scope="col">Year</th></tr><tr><td colspan="2">2026</td></tr></table><blockquote>q</blockquote><figure><img src="/media/a.jpg" alt="Quay" width="800" height="600"><figcaption>The quay</figcaption></figure><details><summary>More</summary>x</details><p><mark>m</mark> <del>d</del> <ins>i</ins> H<sub>2</sub>O x<sup>2</sup></p>'
    const out = sanitizeArticleHtml(html)
    for (const kept of ['<h2>Costs</h2>', '<th scope="col">', '<td colspan="2">', '<blockquote>', '<figcaption>The quay</figcaption>', '<img src="/media/a.jpg" alt="Quay" width="800" height="600" loading="lazy" />', '<summary>More</summary>', '<mark>', '<del>', '<ins>', '<sub>', '<sup>']) {
      assert.ok(out.includes(kept), `${kept} is kept in ${out}`)
    }
  })

  test('script, style, forms, frames, objects, base and meta are dropped with what they hold', () => {
    const out = sanitizeArticleHtml('<script>alert(1)</script><style>body{background:url(javascript:alert(2))}</style><form action="https://evil.example/"><input name="q"><button formaction="javascript:alert(3)">Go</button></form><object data="x.swf">fallback-object</object><embed src="x.swf"><base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=https://evil.example/"><iframe src="https://evil.example/">fallback-frame</iframe><p>kept</p>')
    assert.doesNotMatch(out, /<(script|style|form|input|button|object|embed|base|meta|iframe)\b/i)
    assert.doesNotMatch(out, /alert|fallback-object|fallback-frame|evil\.example/)
    assert.match(out, /<p>kept<\/p>/)
  })

  test('only id, lang and dir on any element; no style, class or event handler', () => {
    const out = sanitizeArticleHtml('<p id="intro" lang="cy" dir="ltr" class="x" style="background:url(javascript:alert(1));width:expression(alert(2))" onclick="alert(3)" onmouseover="alert(4)">Bore da</p>')
    assert.equal(out, '<p id="intro" lang="cy" dir="ltr">Bore da</p>')
  })

  test('links may go to http, https, mailto, tel and this site; javascript:, vbscript:, data: and protocol-relative links lose their address', () => {
    const out = sanitizeArticleHtml('<a href="https://example.org/">a</a><a href="http://example.org/">b</a><a href="mailto:desk@news.test">c</a><a href="tel:+441234567">d</a><a href="/2026/01/01/story/">e</a><a href="javascript:alert(1)">f</a><a href="JaVa&#x09;ScRiPt:alert(2)">g</a><a href="vbscript:msgbox(3)">h</a><a href="data:text/html,<script>alert(4)</script>">i</a><a href="//evil.example/">j</a>')
    assert.equal(out, '<a href="https://example.org/">a</a><a href="http://example.org/">b</a><a href="mailto:desk@news.test">c</a><a href="tel:+441234567">d</a><a href="/2026/01/01/story/">e</a><a>f</a><a>g</a><a>h</a><a>i</a><a>j</a>')
  })

  test("this site's images stay images; another host's become a link to them, named by their alt text", () => {
    assert.equal(sanitizeArticleHtml('<img src="/media/ab12-960.jpg" alt="Quay">'), '<img src="/media/ab12-960.jpg" alt="Quay" loading="lazy" />')
    assert.equal(sanitizeArticleHtml('<img src="https://elsewhere.example/quay.jpg" alt="The quay">'), '<a href="https://elsewhere.example/quay.jpg">The quay</a>')
    assert.equal(sanitizeArticleHtml('<img src="https://elsewhere.example/quay.jpg">'), '<a href="https://elsewhere.example/quay.jpg">Image on elsewhere.example</a>')
    assert.match(renderArticleBody('![The quay](https://elsewhere.example/quay.jpg)'), /<a href="https:\/\/elsewhere.example\/quay.jpg">The quay<\/a>/)
  })

  test('addresses that only look local are judged as the browser resolves them: //host, /\\host, tabs and spaces', () => {
    for (const src of ['//evil.example/a.jpg', '/\\evil.example/a.jpg', '/\t/evil.example/a.jpg', ' //evil.example/a.jpg', '\\\\evil.example\\a.jpg']) {
      assert.equal(isOnThisSite(src), false, src)
      assert.doesNotMatch(sanitizeArticleHtml(`<img src="${src}" alt="x">`), /<img/, src)
    }
    for (const src of ['/media/a.jpg', 'a.jpg', '../a.jpg', '/media/a.jpg?w=1#x']) assert.equal(isOnThisSite(src), true, src)
  })

  test('no data: image of any kind (SVG above all): it would skip the media pipeline that strips GPS positions from photos', () => {
    for (const src of ['data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+', 'data:image/png;base64,iVBORw0KGgo=', 'DATA:image/jpeg;base64,/9j/', ' data:image/gif;base64,R0lGOD']) {
      const out = sanitizeArticleHtml(`<img src="${src}" alt="Chart">`)
      assert.equal(out, '<span>Chart</span>', src)
    }
    assert.doesNotMatch(renderArticleBody('![x](data:image/svg+xml;base64,PHN2Zz4=) ![y](data:image/png;base64,iVBORw0KGgo=)'), /<img|src=/)
  })

  test("a srcset or picture source survives only with this site's images", () => {
    assert.equal(sanitizeArticleHtml('<img src="/m/a-480.jpg" srcset="/m/a-480.jpg 480w, /m/a-960.jpg 960w" alt="A">'), '<img src="/m/a-480.jpg" srcset="/m/a-480.jpg 480w, /m/a-960.jpg 960w" alt="A" loading="lazy" />')
    assert.equal(sanitizeArticleHtml('<img src="/m/a.jpg" srcset="/m/a.jpg 1x, https://evil.example/b.jpg 2x" alt="A">'), '<img src="/m/a.jpg" alt="A" loading="lazy" />')
    assert.equal(
      sanitizeArticleHtml('<picture><source srcset="https://evil.example/a.webp" type="image/webp"><source srcset="/m/a.webp" type="image/webp"><img src="/m/a.jpg" alt="A"></picture>'),
      '<picture><source srcset="/m/a.webp" type="image/webp" /><img src="/m/a.jpg" alt="A" loading="lazy" /></picture>',
    )
  })

  test('a video player from a listed host (YouTube, Vimeo) becomes a link to it; any other frame is dropped', () => {
    assert.equal(sanitizeArticleHtml('<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" title="The barrier closing" allowfullscreen></iframe>'), '<a href="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ">The barrier closing</a>')
    assert.equal(sanitizeArticleHtml('<iframe src="https://player.vimeo.com/video/76979871"></iframe>'), '<a href="https://player.vimeo.com/video/76979871">Watch the video on player.vimeo.com</a>')
    assert.equal(sanitizeArticleHtml('<iframe src="http://www.youtube.com/embed/x"></iframe>'), '', 'not over plain http')
    assert.equal(sanitizeArticleHtml('<iframe src="https://www.youtube.com.evil.example/embed/x">x</iframe>'), '')
    assert.equal(sanitizeArticleHtml('<iframe srcdoc="<script>alert(1)</script>"></iframe>'), '')
  })
})

describe('what a comment may embed', () => {
  test('paragraphs, emphasis, quotes, code and links (http, https, mailto) marked as user content; raw HTML shows as text', () => {
    assert.equal(renderCommentText('*Yes*: see https://example.org\n\n> quoted'), '<p><em>Yes</em>: see <a href="https://example.org" rel="nofollow ugc noopener">https://example.org</a></p>\n<blockquote>\n<p>quoted</p>\n</blockquote>\n')
    assert.equal(renderCommentText('<img src=x onerror=alert(1)> [a](javascript:alert(2)) [b](mailto:a@example.org)'), '<p>&lt;img src=x onerror=alert(1)&gt; [a](javascript:alert(2)) <a href="mailto:a@example.org" rel="nofollow ugc noopener">b</a></p>\n')
    assert.doesNotMatch(renderCommentText('![pic](https://elsewhere.example/a.jpg)'), /<img/, 'no images in comments')
  })
})
