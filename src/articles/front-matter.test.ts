import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseArticleFile } from './front-matter.ts'

const file = (fm: string, body = 'Body text.') => `---\n${fm}\n---\n${body}\n`

test('a full publish file becomes article input', () => {
  const { input, bodyStartLine } = parseArticleFile(
    file(
      [
        'title: "Inmates sent to the front"',
        'slug: inmates-front',
        'standfirst: The Kremlin is making ugly choices.',
        'date: 2022-08-08T09:00:00Z',
        'author: Demo Desk',
        'categories: [World]',
        'tags: Russia, Ukraine',
        'status: published',
        'canonical_url: https://example.org/original',
        'credits:',
        '  - name: CNN',
        '    role: Original reporting',
        '    url: https://edition.cnn.com/',
      ].join('\n'),
    ),
  )
  assert.equal(input.title, 'Inmates sent to the front')
  assert.deepEqual(input.authors, 'Demo Desk')
  assert.equal((input.publishedAt as Date).toISOString(), '2022-08-08T09:00:00.000Z')
  assert.deepEqual(input.credits, [{ name: 'CNN', role: 'Original reporting', url: 'https://edition.cnn.com/' }])
  assert.equal(input.canonicalUrl, 'https://example.org/original')
  assert.equal(bodyStartLine, 16)
})

test('each bad field is named in the error', () => {
  assert.throws(() => parseArticleFile(file('slug: no-title')), /^InvalidArticle: title: is required/)
  assert.throws(() => parseArticleFile(file('title: X\ndate: next tuesday')), /^InvalidArticle: date: "next tuesday" is not a date/)
  assert.throws(() => parseArticleFile(file('title: X\nstatus: live')), /^InvalidArticle: status: /)
  assert.throws(() => parseArticleFile(file('title: X\nheadline: Y')), /^InvalidArticle: headline: is not a known field/)
  assert.throws(() => parseArticleFile('No front matter here'), /^InvalidArticle: front matter: /)
  assert.throws(() => parseArticleFile(file('title: [unclosed')), /^InvalidArticle: front matter: not valid YAML/)
})

// Found by the property tests: the CLI promises one line on failure, and a YAML block value has newlines in it.
test('a bad value written over several lines still makes a one-line message', () => {
  for (const fm of ['title: X\ndate: |\n  next\n  tuesday', 'title: X\nimage: |\n  a picture\n  of the quay']) {
    assert.throws(() => parseArticleFile(file(fm)), (error: Error) => error.name === 'InvalidArticle' && !error.message.includes('\n'), `one line for ${JSON.stringify(fm)}`)
  }
})
