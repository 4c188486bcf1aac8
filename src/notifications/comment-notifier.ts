/** @module E-mails about comments: held comments to moderators, replies to commenters who asked. */
import type { Article } from '../articles/articles.ts'
import type { CommentNotifier, ModeratedComment } from '../comments/comments.ts'
import type { Mailer } from './mailer.ts'

export interface CommentNotifierOptions {
  /** Addresses of the people who moderate comments. */
  readonly moderators: () => Promise<string[]>
  readonly mailer: Mailer
  /** Absolute URL of an article. */
  readonly articleUrl: (article: Article) => Promise<string>
  /** Absolute URL of a comment on its article's page. */
  readonly commentUrl: (article: Article, commentId: number) => Promise<string>
  readonly siteTitle: () => Promise<string>
  /** Absolute URL of a comment in the moderation queue. */
  readonly queueUrl: (commentId: number) => Promise<string>
  /** Absolute URL of the page that confirms a commenter's address with this token. */
  readonly confirmationUrl: (token: string) => Promise<string>
}

export function commentNotifier(o: CommentNotifierOptions): CommentNotifier {
  return {
    enabled: o.mailer.enabled,
    async heldForModeration(comment, article) {
      if (!o.mailer.enabled) return
      const moderators = await o.moderators()
      const url = await o.articleUrl(article)
      const title = await o.siteTitle()
      for (const to of moderators) {
        await o.mailer.send({
          to,
          subject: `[${title}] Please moderate: "${article.title}"`,
          text: [
            `A new comment on "${article.title}" is waiting for your approval.`,
            url,
            '',
            `Author: ${comment.authorName} <${comment.authorEmail}>`,
            ...(comment.authorUrl ? [`Website: ${comment.authorUrl}`] : []),
            `Why it was held: ${comment.reasons.join('; ') || 'moderation rules'}`,
            '',
            plainText(comment.contentHtml),
            '',
            `Approve it, or mark it as spam, in the moderation queue:`,
            await o.queueUrl(comment.id),
          ].join('\n'),
        })
      }
    },

    async replied(to: ModeratedComment, reply: ModeratedComment, article: Article) {
      if (!o.mailer.enabled) return
      const url = await o.commentUrl(article, reply.id)
      const title = await o.siteTitle()
      await o.mailer.send({
        to: to.authorEmail,
        subject: `[${title}] ${reply.authorName} replied to your comment on "${article.title}"`,
        text: [
          `${reply.authorName} replied to your comment on "${article.title}":`,
          '',
          plainText(reply.contentHtml),
          '',
          `Read the conversation: ${url}`,
          '',
          'You are receiving this because you asked to be told of replies when you commented.',
        ].join('\n'),
      })
    },

    async confirmAddress(comment, article, token) {
      if (!o.mailer.enabled) return
      const title = await o.siteTitle()
      await o.mailer.send({
        to: comment.authorEmail,
        subject: `[${title}] Confirm your comment on "${article.title}"`,
        text: [
          `Someone posted a comment as ${comment.authorName}, with this e-mail address, on "${article.title}":`,
          '',
          plainText(comment.contentHtml),
          '',
          'It came from a browser this site did not recognise, so it is waiting for a moderator. If you wrote it, open this link within a week to publish it now and to be recognised in that browser from now on:',
          await o.confirmationUrl(token),
          '',
          'If you did not write it, ignore this message: nothing is published without your confirmation or a moderator\'s approval.',
        ].join('\n'),
      })
    },
  }
}

function plainText(html: string): string {
  return html
    .replace(/<\/p>\s*<p>/g, '\n\n')
    .replace(/<br\s*\/?>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .trim()
}
