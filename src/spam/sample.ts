/** @module A comment as the spam engine sees it: Akismet's field names, all optional but the text. */

export interface CommentSample {
  readonly comment_content: string
  readonly comment_author?: string | undefined
  readonly comment_author_email?: string | undefined
  readonly comment_author_url?: string | undefined
  readonly comment_type?: string | undefined
  readonly user_ip?: string | undefined
  readonly user_agent?: string | undefined
  readonly referrer?: string | undefined
  readonly blog_lang?: string | undefined
}

/** What the site knows around the comment; every field is optional (the corpora have none). */
export interface CommentContext {
  /** The hidden field that only robots fill was filled. */
  readonly honeypotFilled?: boolean
  /** Seconds from serving the form to the submission; undefined when unknown. */
  readonly secondsToSubmit?: number
  /** The form's signed render token was missing or forged (only the form sends one). */
  readonly renderTokenInvalid?: boolean
  /** Whether the page's script ran before the form was sent (WordPress's `ak_js`); undefined when unknown. */
  readonly scriptRan?: boolean
  /** Comments by this e-mail address a moderator approved before. */
  readonly approvedBefore?: number
  /** Past decisions about this IP, e-mail and URL domain (and the domains linked in the text). */
  readonly reputation?: Reputation
  /** Days since the article was published. */
  readonly articleAgeDays?: number
}

export interface ReputationCounts {
  readonly spam: number
  readonly ham: number
}

export interface Reputation {
  readonly ip?: ReputationCounts
  readonly email?: ReputationCounts
  readonly urlDomain?: ReputationCounts
  /** Per domain linked from the text. */
  readonly linkedDomains?: ReadonlyMap<string, ReputationCounts>
}

export type Label = 'spam' | 'ham'
