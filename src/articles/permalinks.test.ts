import assert from 'node:assert/strict'
import { test } from 'node:test'
import { buildPermalink, datePartsAgree, permalinkMatcher } from './permalinks.ts'

const story = { id: 42, slug: 'inmates-sent-to-the-front', publishedAt: new Date('2022-08-08T09:00:00Z'), category: 'world' }

test('the default WordPress structure gives /year/month/day/slug/', () => {
  assert.equal(buildPermalink('/%year%/%monthnum%/%day%/%postname%/', story), '/2022/08/08/inmates-sent-to-the-front/')
})

test('each structure recognises the paths it builds', () => {
  for (const structure of ['/%year%/%monthnum%/%day%/%postname%/', '/%postname%/', '/archives/%post_id%/', '/%category%/%postname%/', '/%year%/%monthnum%/%postname%/']) {
    const path = buildPermalink(structure, story)
    const match = permalinkMatcher(structure)(path)
    assert.ok(match, `${structure} should match ${path}`)
    if (structure.includes('%post_id%')) assert.equal(match.id, 42)
    else assert.equal(match.slug, story.slug)
    assert.ok(datePartsAgree(match, story.publishedAt))
  }
})

test('paths of other shapes are not permalinks', () => {
  const match = permalinkMatcher('/%year%/%monthnum%/%day%/%postname%/')
  assert.equal(match('/2022/08/inmates/'), undefined)
  assert.equal(match('/wp-admin/'), undefined)
  assert.equal(match('/2022/8/08/inmates/'), undefined)
})

test('a wrong date in the path is noticed, so the page can redirect to the right one', () => {
  const match = permalinkMatcher('/%year%/%monthnum%/%day%/%postname%/')('/2021/01/01/inmates-sent-to-the-front/')!
  assert.equal(datePartsAgree(match, story.publishedAt), false)
})
