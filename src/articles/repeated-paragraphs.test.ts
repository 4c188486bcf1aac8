import assert from 'node:assert/strict'
import { test } from 'node:test'
import { findRepeatedParagraphs } from './repeated-paragraphs.ts'

const lede = 'Promises of freedom and riches are made to convicts in cramped jail cells, and then they vanish.'

test('a repeated lede is reported with both line numbers', () => {
  const body = [lede, '', 'Second paragraph is different and long enough to count.', '', `  ${lede.toUpperCase()}`].join('\n')
  const repeats = findRepeatedParagraphs(body, 10)
  assert.equal(repeats.length, 1)
  assert.equal(repeats[0]!.firstLine, 10)
  assert.equal(repeats[0]!.repeatLine, 14)
})

test('short repeated lines such as section breaks are not reported', () => {
  assert.deepEqual(findRepeatedParagraphs('* * *\n\nText that is long enough to be a paragraph of a story.\n\n* * *'), [])
})

test('a repeat inside a quotation still counts', () => {
  assert.equal(findRepeatedParagraphs(`> ${lede}\n\n${lede}`).length, 1)
})
