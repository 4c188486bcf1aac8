import assert from 'node:assert/strict'
import { test } from 'node:test'
import { AdaptedModel, balancedWeights, classify, crossValidate, domainOf, evidenceScalesOf, extractFeatures, FeatureSet, learnableMask, LinearModel, spamKinds, FEATURE_BITS, toTrainingVector, trainModel, type CommentSample, type LabelledSample, type TextModel } from './index.ts'
import { hashString } from './hash.ts'

/** The features online learning may move in a comment (none are frequent in an empty list). */
const specific = (sample: CommentSample) => learnableMask(extractFeatures(sample), new FeatureSet())

const corpus: LabelledSample[] = [
  ...['Check out my channel http://bit.ly/abc subscribe!!!', 'subscribe to my channel please, free gift cards at www.free-gifts.tk', 'CHECK OUT MY NEW VIDEO http://bit.ly/xyz', 'Make money fast, visit http://cash-now.biz today', 'please subscribe to me and check out my music channel']
    .map((c) => ({ comment_content: c, label: 'spam' as const })),
  ...['The council should have published the consultation figures.', 'I was on the quay that night, the barrier really did hold.', 'Good reporting, thank you for the follow-up.', 'This is my favourite song, I listen every day', 'Which branch libraries were at risk in the draft budget?']
    .map((c) => ({ comment_content: c, label: 'ham' as const })),
]

test('links are reduced to the domain a person registers', () => {
  assert.equal(domainOf('https://www.bbc.co.uk/news/x'), 'bbc.co.uk')
  assert.equal(domainOf('http://bit.ly/abc'), 'bit.ly')
  assert.equal(domainOf('sub.example.org/path'), 'example.org')
  assert.deepEqual(extractFeatures({ comment_content: 'see <a href="http://spam.example.com/x">here</a> and www.shop.tk' }).facts.linkDomains, ['example.com', 'shop.tk'])
})

test('kinds of content are found whatever the sum or number: money promised, a number to text, a support line, a messenger', () => {
  const kinds = (text: string) => extractFeatures({ comment_content: text }).patterns.map((p) => p.kind)
  assert.deepEqual(kinds('I made $5,400 last week trading, contact her on WhatsApp'), ['money-offer', 'messenger'])
  assert.deepEqual(kinds('You have WON a guaranteed £1000 cash prize! Txt CLAIM to 81010'), ['money-offer', 'call-number'])
  assert.deepEqual(kinds('Earn 300 dollars per day from home'), ['money-offer'])
  assert.deepEqual(kinds('Call the Norton customer support phone number, toll-free'), ['support-line'])
  assert.deepEqual(kinds('Up over 300% this week'), ['percent'])
  // A reader talking about prices, dates and phone calls is not offering anything.
  assert.deepEqual(kinds('The price of eggs went from $2.50 to $4.80 at my store.'), [])
  assert.deepEqual(kinds('I called the council in 2019 and nobody answered.'), [])
  // Two different sums or short codes give the same kind feature.
  const index = (text: string) => extractFeatures({ comment_content: text }).patterns[0]!.index
  assert.equal(index('you won £900'), index('you have won $25,000'))
})

test('a kind of content the model weighs is named in the reasons, with the words that matched', () => {
  const samples: LabelledSample[] = [
    ...corpus,
    ...['You won £900, call 09061701461 now', 'Winner! you have won $500 cash, text WIN to 87121', 'I made $300 a day from home, ask me how'].map((c) => ({ comment_content: c, label: 'spam' as const })),
  ]
  const model = trainModel(samples.map(toTrainingVector))
  const verdict = classify(model, { comment_content: 'Congratulations, you have won £2000! Call 08712300220 to claim' })
  assert.ok(verdict.verdict === 'spam' || verdict.verdict === 'discard', verdict.verdict)
  assert.ok(verdict.reasons.some((r) => r.startsWith('promises money ("won £2000") (toward spam, +')), verdict.reasons.join(' | '))
  assert.ok(verdict.reasons.some((r) => r.startsWith('asks readers to call or text a number ("call 08712300220')), verdict.reasons.join(' | '))
})

test('training is reproducible from its seed', () => {
  const a = trainModel(corpus.map(toTrainingVector))
  const b = trainModel(corpus.map(toTrainingVector))
  assert.deepEqual(a.toBytes(), b.toBytes())
})

test('a trained model tells promotion from discussion, and says which words weighed', () => {
  const model = trainModel(corpus.map(toTrainingVector))
  const spam = classify(model, { comment_content: 'check out my channel and subscribe http://bit.ly/q' })
  assert.ok(spam.verdict === 'spam' || spam.verdict === 'discard', spam.verdict)
  assert.ok(spam.reasons.some((r) => /^phrases typical of spam: .*"[^"]*(channel|subscribe|check)[^"]*" \+\d\.\d/.test(r)), spam.reasons.join(' | '))
  const ham = classify(model, { comment_content: 'The council consultation figures were published on the quay.' })
  assert.equal(ham.verdict, 'pass')
})

test('a feature found only in spam is scaled up for training; one found alike in both classes is not', () => {
  const vectors = corpus.map(toTrainingVector)
  const scales = evidenceScalesOf(vectors)
  const indexOf = (word: string) => [...extractFeatures({ comment_content: word }).words.keys()][0]!
  assert.ok(scales(indexOf('subscribe')) > 1.8, `subscribe: ${scales(indexOf('subscribe'))}`)
  assert.ok(scales(indexOf('council')) > 1.5, `council: ${scales(indexOf('council'))}`)
  assert.ok(Math.abs(scales(indexOf('zeitgeist')) - 1) < 1e-9, 'a feature never seen keeps scale 1')
  assert.equal(scales(0), 1, 'the bias keeps scale 1')
  // "my" is in three spam comments and one real one: weaker evidence.
  assert.ok(scales(indexOf('my')) < scales(indexOf('subscribe')))
  // Hand-made vectors: feature 7 in every example, 9 only in spam, 11 only in ham.
  const v = (indices: number[], y: 0 | 1) => ({ indices: Uint32Array.from(indices), values: new Float32Array(indices.length).fill(1), y })
  const made = evidenceScalesOf([v([7, 9], 1), v([7, 9], 1), v([7, 11], 0), v([7, 11], 0)])
  assert.ok(Math.abs(made(7) - 1) < 1e-6, `alike in both classes: ${made(7)}`)
  assert.ok(made(9) > 2, `spam only: ${made(9)}`)
  assert.ok(Math.abs(made(9) - made(11)) < 1e-6, 'with classes of one size, spam-only and ham-only evidence weigh the same')
})

test('cross-validation with repeats scores every sample once per split', () => {
  const isSpam = (model: TextModel, s: LabelledSample) => classify(model, s).score >= 0.5
  assert.equal(crossValidate(corpus, 5, isSpam).n, corpus.length)
  assert.equal(crossValidate(corpus, 5, isSpam, {}, 3).n, 3 * corpus.length)
})

test('an averaged (bagged) model is reproducible and still tells promotion from discussion', () => {
  const a = trainModel(corpus.map(toTrainingVector), { ensemble: 3, bagging: true })
  const b = trainModel(corpus.map(toTrainingVector), { ensemble: 3, bagging: true })
  assert.deepEqual(a.toBytes(), b.toBytes())
  assert.ok(classify(a, { comment_content: 'subscribe to my channel http://bit.ly/q' }).score > 0.5)
  assert.ok(classify(a, { comment_content: 'The council published the consultation figures.' }).score < 0.5)
})

test('a filled honeypot is discarded whatever the text', () => {
  const verdict = classify(new LinearModel(), { comment_content: 'A thoughtful comment.' }, { honeypotFilled: true })
  assert.equal(verdict.verdict, 'discard')
  assert.equal(verdict.score, 1)
  assert.match(verdict.reasons[0]!, /hidden form field/)
})

test('a form submitted too fast is a spam signal with a reason', () => {
  const verdict = classify(new LinearModel(), { comment_content: 'Hello' }, { secondsToSubmit: 0.8 })
  assert.equal(verdict.verdict, 'spam')
  assert.equal(verdict.reasons[0], 'submitted 0.8 s after the page was served (toward spam, +3.0)')
})

test('reputation from past decisions counts, and is explained', () => {
  const verdict = classify(new LinearModel(), { comment_content: 'Hello again' }, { reputation: { email: { spam: 4, ham: 0 } } })
  assert.notEqual(verdict.verdict, 'pass')
  assert.match(verdict.reasons.join(' | '), /this e-mail address sent 4 comments marked as spam before/)
})

test('learning one decision flips the verdict on the identical comment at once', () => {
  const model = new AdaptedModel(trainModel(corpus.map(toTrainingVector)))
  const sample = { comment_content: 'Great discussion of the council budget here' }
  assert.equal(classify(model, sample).verdict, 'pass')
  model.learnOne(extractFeatures(sample), 1, specific(sample))
  assert.equal(classify(model, sample).verdict, 'spam')
  model.learnOne(extractFeatures(sample), 0, specific(sample))
  assert.equal(classify(model, sample).verdict, 'pass')
})

test('hostile input gets a verdict, never an exception', () => {
  const model = trainModel(corpus.map(toTrainingVector))
  for (const content of ['', '\u0000\u0001\uFFFF', '\uD800 lone surrogate', 'a'.repeat(1_000_000), '<'.repeat(5000), '%E0%A4%A'.repeat(1000), '😀'.repeat(3000)]) {
    const v = classify(model, { comment_content: content, comment_author: content.slice(0, 100), comment_author_url: 'javascript:alert(1)' })
    assert.ok(['discard', 'spam', 'hold', 'pass'].includes(v.verdict))
    assert.ok(v.score >= 0 && v.score <= 1)
  }
})

test("a site's model learns on top of the shipped one without changing it", () => {
  const shipped = trainModel(corpus.map(toTrainingVector))
  const before = shipped.toBytes()
  const site = new AdaptedModel(shipped)
  const other = new AdaptedModel(shipped)
  const sample = { comment_content: 'Great discussion of the council budget here' }
  site.learnOne(extractFeatures(sample), 1, specific(sample))
  assert.equal(classify(site, sample).verdict, 'spam')
  assert.equal(classify(other, sample).verdict, 'pass', "one site's decision never reaches another")
  assert.deepEqual(shipped.toBytes(), before)
})

test('a model file round-trips, and a file that is not one is refused with a reason', () => {
  const model = trainModel(corpus.map(toTrainingVector))
  const copy = LinearModel.fromBytes(model.toBytes())
  assert.deepEqual(copy.weights, model.weights)
  assert.throws(() => LinearModel.fromBytes(new TextEncoder().encode('not a model at all')), /not a Broadsheet spam model file/)
  const truncated = model.toBytes().slice(0, 100)
  assert.throws(() => LinearModel.fromBytes(truncated), /header says/)
})

test("a comment in a script the site's language is not written in is a signal, with a reason", () => {
  const model = new LinearModel()
  const russian = { comment_content: 'Купить дипломы недорого с доставкой по России' }
  const onEnglishSite = classify(model, { ...russian, blog_lang: 'en_gb' }, {}, { discard: 0.995, spam: 0.8, hold: 0.6 })
  assert.equal(onEnglishSite.verdict, 'hold')
  assert.equal(onEnglishSite.reasons[0], 'written in Cyrillic script on a site in en_gb (toward spam, +1.0)')
  assert.equal(classify(model, { ...russian, blog_lang: 'ru' }).score, 0.5, 'on a Russian site it says nothing')
  assert.equal(classify(model, { ...russian, blog_lang: 'en, uk' }).score, 0.5, 'nor on a site in English and Ukrainian')
  assert.equal(classify(model, { ...russian, blog_lang: 'tlh' }).score, 0.5, 'nor for a language it does not know')
  assert.equal(classify(model, { comment_content: 'The council vote was closer than reported', blog_lang: 'en' }).score, 0.5)
})

test('each link counts once: an anchor whose text is its address, or the same address twice, is one link; an e-mail address none', () => {
  const f = extractFeatures({
    comment_content: 'see <a href="http://a.example.com/x">http://a.example.com/x</a>, <a href="https://b.example.org">b.example.org</a> and www.c.example.net (again: http://www.c.example.net/). Mail bob@mail.example.com',
  })
  assert.deepEqual(f.facts.links, ['http://a.example.com/x', 'https://b.example.org', 'www.c.example.net'])
})

test('every verdict names its evidence in words, with direction and weight: links, phrases, signals — never only a percentage', () => {
  const model = trainModel(corpus.map(toTrainingVector))
  const verdict = classify(model, { comment_content: 'Check out my channel and subscribe now at http://my-channel.example.tk' }, { secondsToSubmit: 1.5, scriptRan: false })
  const reasons = verdict.reasons.join(' | ')
  assert.match(reasons, /submitted 1\.5 s after the page was served \(toward spam, \+3\.0\)/)
  assert.match(reasons, /script did not run .*\(toward spam, \+1\.0\)/)
  assert.match(reasons, /links to example\.tk/)
  assert.match(reasons, /phrases typical of spam: "[a-z ]+" \+\d\.\d/)
  assert.doesNotMatch(reasons, /"(my|and|at|the|out)" /, 'a lone common word is no evidence')
  const real = classify(model, { comment_content: 'Which libraries were at risk in the draft budget?' })
  assert.ok(real.reasons.some((r) => /^phrases typical of real comments: "/.test(r)), real.reasons.join(' | '))
  assert.ok(real.reasons.length > 1, 'more than the total')
})

test("on a site in another language, a comment in that language's script is not punished for words the model never saw", () => {
  const leaning = new LinearModel()
  leaning.weights[0] = 2 // the bias: every text leans toward spam by 2
  const french = { comment_content: 'Le conseil municipal a encore reporté le vote sur la piscine du quartier.' }
  assert.equal(classify(leaning, { ...french, blog_lang: 'en' }).score, 0.8808)
  const onFrenchSite = classify(leaning, { ...french, blog_lang: 'fr_FR' })
  assert.equal(onFrenchSite.score, 0.7311, 'the lean toward spam counts half')
  assert.match(onFrenchSite.reasons.join(' | '), /script of the site's language \(fr_FR\).*\(toward a real comment, −1\.0\)/)
  const russian = classify(leaning, { comment_content: 'Купить дипломы недорого с доставкой по России', blog_lang: 'fr' })
  assert.ok(russian.score > 0.88, 'a script the site is not written in still counts against')
})

test('spam kinds that comment sections get are named, and ordinary comments about the same topics are not', () => {
  const kinds = (text: string) => spamKinds(text).map((m) => m.kind)
  assert.deepEqual(kinds('Buy cheap viagra online, fast shipping to your door'), ['pharmacy'])
  assert.deepEqual(kinds('Best online casino of the year, claim your free spins'), ['gambling'])
  assert.deepEqual(kinds('Tired of deadlines? Our essay writing service has writers ready'), ['essay-mill'])
  assert.deepEqual(kinds('I got back my stolen bitcoin wallet thanks to a recovery expert'), ['recovery-scam'])
  assert.deepEqual(kinds('I invested in bitcoin trading last spring and my profit is now huge, thanks to Mrs Linda'), ['investment-testimonial'])
  assert.deepEqual(kinds('Great video! Check out my channel for more'), ['self-promotion'])
  assert.deepEqual(kinds('Nice article, see <a href="http://roof.example.biz">best roof repair near me</a>'), ['seo-anchor'])
  // Readers discussing the same subjects offer nothing.
  for (const text of [
    'The casino vote in the council is tonight, and betting on the outcome is a mug’s game.',
    'My mother cannot get her pills without a prescription since the pharmacy closed.',
    'Bitcoin fell 8% today; I would not invest my pension in it.',
    'Mr Powell said the investment plan would be published in March.',
    'Students say the essay deadline was moved twice this term.',
    'The police could not recover the stolen bikes.',
    'Source: <a href="https://www.ons.gov.uk/x">the ONS release for March</a>',
    'Le conseil municipal a voté hier soir, et les habitants attendent toujours les chiffres.',
    'Die Stadt hat die Brücke endlich saniert, aber die Umleitung bleibt bis Mai.',
    'El ayuntamiento publicó por fin el presupuesto; faltan las cifras de vivienda.',
  ]) assert.deepEqual(kinds(text), [], text)
})

test('letters disguised with look-alikes from another alphabet, or spaced out, are read as meant', () => {
  // "саsino" with Cyrillic а and с.
  const disguised = spamKinds('Best online \u0441\u0430sino bonus today')
  assert.deepEqual(disguised.map((m) => m.kind), ['look-alike-letters', 'gambling'])
  assert.equal(disguised[0]!.text, '\u0441\u0430sino')
  assert.deepEqual(spamKinds('buy cheap v i a g r a here').map((m) => m.kind), ['pharmacy'])
  assert.deepEqual(spamKinds('try the new c.a.s.i.n.o bonus').map((m) => m.kind), ['gambling'])
  // Russian written in Cyrillic is a language, not a disguise.
  assert.deepEqual(spamKinds('Спасибо за статью, очень интересно'), [])
})

test('a verdict names the spam kind it found, with its direction and weight', () => {
  const empty = new LinearModel()
  const verdict = classify(empty, { comment_content: 'order cheap tramadol 50mg overnight' })
  assert.ok(verdict.reasons.includes('sells prescription drugs ("order cheap tramadol") (toward spam, +2.0)'), verdict.reasons.join(' | '))
  assert.ok(verdict.score > 0.85, String(verdict.score))
  assert.equal(classify(empty, { comment_content: 'The pharmacy on the high street closed.' }).score, 0.5)
})

test('a domain or top-level domain linked many times counts once', () => {
  const tld = hashString('ltld:org') & ((1 << FEATURE_BITS) - 1)
  const valueOf = (text: string) => {
    const f = extractFeatures({ comment_content: text })
    return f.values[[...f.indices].indexOf(tld)]
  }
  assert.equal(valueOf('see a.org/x'), 1)
  assert.equal(valueOf('see a.org/x, b.org/y, c.org/z and http://d.org/w'), 1)
})

test('balanced weights give each corpus, and each class within it, the same total weight', () => {
  const v = (y: 0 | 1) => ({ indices: Uint32Array.of(0), values: Float32Array.of(1), y })
  const small = [v(1), v(0), v(0), v(0)]
  const large = [...Array(12)].map((_, i) => v(i < 6 ? 1 : 0))
  const weighted = balancedWeights([small, large])
  const total = (from: number, to: number, y: 0 | 1) => weighted.slice(from, to).filter((x) => x.y === y).reduce((n, x) => n + x.weight!, 0)
  for (const [a, b] of [[0, 4], [4, 16]] as const) {
    assert.ok(Math.abs(total(a, b, 1) - 4) < 1e-9 && Math.abs(total(a, b, 0) - 4) < 1e-9, `${a}-${b}`)
  }
})
