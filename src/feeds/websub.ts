/**
 * @module WebSub (https://www.w3.org/TR/websub/) for the publisher's side: the feeds name the
 * site's hub (`rel="hub"`), and when a story readers can see is published, updated, corrected or
 * withdrawn, the hub is told which feeds changed, so that it fetches them and pushes them to its
 * subscribers at once instead of their waiting for the next poll.
 *
 * The publish notification is the one hubs have accepted since PubSubHubbub: a form POST of
 * `hub.mode=publish` and `hub.url=<the feed's URL>`, one request per feed.
 */

export interface WebSubPublisher {
  /** The hub's URL, or undefined when the site has none (then `ping` does nothing). */
  readonly hub: string | undefined
  /** Tells the hub that these feeds (absolute URLs) changed; rejects naming the feeds the hub refused. */
  ping(topics: readonly string[]): Promise<void>
}

const PING_TIMEOUT_MS = 10_000

/** @example await webSubPublisher('https://hub.example/').ping(['https://news.example/feed/']) */
export function webSubPublisher(hub: string | undefined): WebSubPublisher {
  return {
    hub,
    async ping(topics) {
      if (!hub) return
      const refused: string[] = []
      for (const topic of new Set(topics)) {
        const answer = await fetch(hub, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': topic }),
          signal: AbortSignal.timeout(PING_TIMEOUT_MS),
        }).catch((error: Error) => ({ ok: false, status: error.name === 'TimeoutError' ? 'no answer in 10 s' : error.message }))
        if (!answer.ok) refused.push(`${topic} (${answer.status})`)
        if ('body' in answer) await answer.body?.cancel()
      }
      if (refused.length) throw new Error(`the WebSub hub ${hub} did not take the ping for ${refused.join(', ')}`)
    },
  }
}
