import assert from 'node:assert/strict'
import path from 'node:path'
import { test } from 'node:test'
import { readCorpora } from '../src/spam-filter/corpus.ts'
import { defaultModel } from '../src/spam-filter/default-model.ts'
import { classify } from '../src/spam/index.ts'

// Comments written for this test, of the kind a news site gets: readers arguing, correcting and
// asking, and the blog spam that follows every comment form. The shipped model never saw them.
const [newsComments] = readCorpora(path.join(import.meta.dirname, 'fixtures/news-comments.jsonl'))

function verdicts(label: 'spam' | 'ham') {
  const samples = newsComments!.samples.filter((s) => s.label === label)
  const counts = { discard: 0, spam: 0, hold: 0, pass: 0 }
  for (const s of samples) counts[classify(defaultModel(), s).verdict]++
  return { n: samples.length, ...counts }
}

test('the shipped model marks at most 1 in 20 real news comments as spam', () => {
  const ham = verdicts('ham')
  assert.equal(ham.n, 40)
  assert.ok(ham.spam + ham.discard <= 2, `real comments marked spam or discarded: ${JSON.stringify(ham)}`)
})

test('the shipped model keeps most blog spam from being published', () => {
  const spam = verdicts('spam')
  assert.equal(spam.n, 25)
  assert.ok(spam.pass <= 5, `spam that would be published: ${JSON.stringify(spam)}`)
})

test('a reader writing about casinos, or pointing to their own blog, is not marked spam; the offers themselves are', () => {
  const verdict = (comment_content: string) => classify(defaultModel(), { comment_content, comment_type: 'comment' }).verdict
  assert.equal(verdict('The best online casino adverts are all over the tube now, and the council does nothing.'), 'pass')
  assert.ok(['pass', 'hold'].includes(verdict('Check out my blog, I wrote up what happened on our street during the flood.')))
  for (const offer of ['Buy cheap viagra online no prescription http://pills.example.tk', 'I invested in bitcoin trading with Mrs Anna and got $8,000 profit, contact her on WhatsApp']) {
    assert.ok(['spam', 'discard'].includes(verdict(offer)), offer)
  }
})
