/**
 * Learning that cannot be poisoned: reports of comments that share nothing specific with others
 * leave the others' verdicts alone, through the Akismet API and through moderation; a campaign
 * reported by several senders is caught in its next wording.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { describe, test } from 'node:test'
import { REPORTS_PER_HOUR } from '../src/akismet/akismet.ts'
import { DIALECTS } from './support/dialects.ts'
import { testSite, type TestSite } from './support/test-site.ts'

interface Row {
  readonly label: 'spam' | 'ham'
  readonly comment_content: string
  readonly comment_author?: string
}
const fixture: Row[] = fs
  .readFileSync(path.join(import.meta.dirname, 'fixtures/news-comments.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as Row)
/** Real readers' comments under news stories, and spam of the kinds news sites get. */
const ordinary = fixture.filter((r) => r.label === 'ham').slice(0, 12)
const spam = fixture.filter((r) => r.label === 'spam').slice(0, 12)

/** Texts nearly any comment section has, as an attacker (or a careless click) would report them. */
const generic = [
  'whatever', 'ok', 'nice', 'thanks', 'great article', 'I agree', 'lol', 'good point', 'yes', 'no',
  'interesting', 'so true', 'wow', 'cool', 'first', 'me too', 'well said', 'hmm', 'this', 'exactly',
]

/** One cleaning company's campaign: new wording each time, always the same domain. */
const campaign = [
  'Really useful guide to keeping the house tidy. We do end of tenancy cleaning in Leeds, see sparkleclean-leeds.co.uk',
  'Moving out this month? sparkleclean-leeds.co.uk did our carpets and oven for a fair price',
  'After the builders left we called sparkleclean-leeds.co.uk and the flat was spotless by evening',
]
const campaignVariant = 'My landlord kept my deposit until I booked sparkleclean-leeds.co.uk for the final clean, worth it'

const BLOG = 'https://blog.example.org/'

async function akismet(t: TestSite) {
  const key = await t.factories.akismetKey(BLOG)
  const post = (call: string, form: Record<string, string>) =>
    fetch(`${t.url}/1.1/${call}`, { method: 'POST', body: new URLSearchParams({ api_key: key, blog: BLOG, ...form }), headers: { 'content-type': 'application/x-www-form-urlencoded' } })
  const check = async (form: Record<string, string>) => (await (await post('comment-check', form)).text()) === 'true'
  const verdicts = (rows: readonly Row[]) => Promise.all(rows.map((r) => check({ comment_content: r.comment_content, user_ip: '198.51.100.20', comment_author: r.comment_author ?? 'Reader' })))
  return { key, post, check, verdicts }
}

for (const dialect of DIALECTS) {
  describe(`learning that cannot be poisoned, on ${dialect}`, () => {
    test('20 submit-spam of short generic texts leave ordinary comments as they were; 20 submit-ham leave spam as it was', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const api = await akismet(t)
      const hamBefore = await api.verdicts(ordinary)
      const spamBefore = await api.verdicts(spam)
      assert.ok(hamBefore.filter(Boolean).length <= 1, 'the shipped model passes these readers')
      assert.ok(spamBefore.filter(Boolean).length >= 8, 'the shipped model catches most of this spam')
      for (const text of generic) assert.equal(await (await api.post('submit-spam', { comment_content: text })).text(), 'Thanks for making the web a better place.')
      assert.deepEqual(await api.verdicts(ordinary), hamBefore, 'a reader whose comment shares nothing specific with the reports keeps the verdict')
      for (const text of generic) await api.post('submit-ham', { comment_content: text })
      for (const text of generic) await api.post('submit-ham', { comment_content: text })
      assert.deepEqual(await api.verdicts(spam), spamBefore, 'reports of ham do not let spam through either')
      assert.equal(await api.check({ comment_content: 'whatever' }), false, 'the reported text itself follows its last report')
    })

    test("after 3 reports of a campaign from 3 senders, its next variant is caught; one sender's repeats are not enough", async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const api = await akismet(t)
      const variant = { comment_content: campaignVariant, user_ip: '192.0.2.200', comment_author: 'Dana' }
      assert.equal(await api.check(variant), false, 'the shipped model alone lets the variant through')
      // One client sending the campaign again and again from one address is one witness.
      for (let i = 0; i < 5; i++) await api.post('submit-spam', { comment_content: campaign[0]!, user_ip: '192.0.2.10' })
      assert.equal(await api.check(variant), false, 'one sender reported five times does not decide alone')
      for (const [i, text] of campaign.entries()) await api.post('submit-spam', { comment_content: text, user_ip: `192.0.2.${20 + i}`, comment_author: `Cleaner ${i}` })
      assert.equal(await api.check(variant), true, 'three independent reports of the domain catch the new wording')
      assert.deepEqual(await api.verdicts(ordinary.slice(0, 6)), [false, false, false, false, false, false], 'readers who do not link to it are unaffected')
    })

    test("a key's reports are limited per hour; past the limit nothing is learned and the client is told", async (ctx) => {
      const t = await testSite(ctx, { dialect })
      const api = await akismet(t)
      const text = 'The ferry timetable changed again without notice to anyone on the island.'
      for (let i = 0; i < REPORTS_PER_HOUR; i++) await api.post('submit-spam', { comment_content: `report ${i}` })
      const refused = await api.post('submit-spam', { comment_content: text })
      assert.equal(refused.status, 429)
      assert.match(refused.headers.get('x-akismet-debug-help')!, /reports this hour/)
      assert.ok(Number(refused.headers.get('retry-after')) > 0)
      assert.equal(await api.check({ comment_content: text }), false, 'the refused report taught nothing')
      t.now = new Date(t.now.getTime() + 3_600_000)
      assert.equal((await api.post('submit-spam', { comment_content: text })).status, 200, 'the next hour it is accepted')
    })

    test('moderators marking 20 short generic comments as spam leave the next ordinary comments as they were', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      await t.settings({ holdFirstTimeCommenters: false, commentRateLimitPerMinute: 1000 })
      const moderator = await t.factories.moderator()
      // Each round from new readers: an approved comment would count for its author's next one.
      const scores = async (round: string) => {
        const article = await t.factories.article()
        for (const [i, r] of ordinary.entries()) await t.comment(article, { author: r.comment_author ?? `Reader ${i}`, email: `reader${i}.${round}@example.org`, content: r.comment_content })
        const queue = await (await t.api(`/api/v1/admin/comments?article=${article.id}`, { token: moderator.token })).json()
        return new Map<string, { status: string; score: number }>(queue.comments.map((c: any) => [c.author_email.replace(`.${round}`, ''), { status: c.status, score: c.spam_score }]))
      }
      const before = await scores('before')
      const reported = await t.factories.article()
      for (const [i, text] of generic.entries()) {
        const c = await t.factories.comment({ article: reported, content: text, status: 'pending', ip: null, by: { author: 'x', email: `x${i}@example.net`, url: '' } })
        const res = await t.api(`/api/v1/admin/comments/${c.id}`, { method: 'PATCH', token: moderator.token, body: { status: 'spam' } })
        assert.equal(res.status, 200)
      }
      const after = await scores('after')
      for (const [email, was] of before) {
        const now = after.get(email)!
        assert.equal(now.status, was.status, `${email}: the status of an ordinary comment changed`)
        assert.ok(Math.abs(now.score - was.score) < 0.05, `${email}: its spam score moved from ${was.score} to ${now.score}`)
      }
    })

    test('moderators marking 3 comments of a campaign from 3 senders catch its next variant on the comment form', async (ctx) => {
      const t = await testSite(ctx, { dialect })
      await t.settings({ holdFirstTimeCommenters: false, commentRateLimitPerMinute: 1000 })
      const moderator = await t.factories.moderator()
      const article = await t.factories.article()
      for (const [i, text] of campaign.entries()) {
        const c = await t.factories.comment({ article, content: text, status: 'pending', ip: `192.0.2.${30 + i}`, by: { author: `Cleaner ${i}`, email: `cleaner${i}@example.net`, url: '' } })
        await t.api(`/api/v1/admin/comments/${c.id}`, { method: 'PATCH', token: moderator.token, body: { status: 'spam' } })
      }
      const posted = await t.comment(article, { author: 'Dana', email: 'dana@example.com', content: campaignVariant })
      assert.equal(posted.status, 'held')
      const queue = await (await t.api(`/api/v1/admin/comments?article=${article.id}&status=spam`, { token: moderator.token })).json()
      const variant = queue.comments.find((c: any) => c.author_email === 'dana@example.com')
      assert.ok(variant, 'the variant is in the spam folder')
      assert.ok(variant.reasons.some((r: string) => /sparkleclean-leeds\.co\.uk/.test(r)), `the reasons name the domain: ${variant.reasons.join(' | ')}`)
    })
  })
}
