import assert from 'node:assert/strict'
import { test } from 'node:test'
import { renderArticleBody } from './markdown.ts'

test('Markdown renders with the HTML an editor may paste', () => {
  const out = renderArticleBody('## Where the money comes from\n\n<figure><img src="/media/a.jpg" alt="Quay"><figcaption>The quay</figcaption></figure>\n\n**bold**')
  assert.match(out, /<h2>Where the money comes from<\/h2>/)
  assert.match(out, /<figure><img src="\/media\/a.jpg" alt="Quay" loading="lazy" \/><figcaption>The quay<\/figcaption><\/figure>/)
  assert.match(out, /<strong>bold<\/strong>/)
})

test('script, event handlers and javascript: links never reach the page', () => {
  const out = renderArticleBody('<script>alert(1)</script><img src=x onerror="alert(2)"> [click](javascript:alert(3)) <a href="JaVaScRiPt:alert(4)">x</a><iframe src="https://evil.example"></iframe>')
  assert.doesNotMatch(out, /<script|onerror|href="javascript:|<iframe/i)
})
