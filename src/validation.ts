/**
 * @module Schema checks where data enters outside HTTP (the environment, publish files, corpora,
 * settings, CLI input): the first problem, named by its field, for a one-line message.
 */
import type { z } from 'zod'

export interface Problem {
  /** `title`, `credits.0.name`, an unknown key itself, or `whole` when the value as a whole is wrong. */
  readonly field: string
  readonly message: string
  readonly issue: z.core.$ZodIssue
}

/** The first thing wrong with a value. */
export function firstProblem(error: z.ZodError, whole: string): Problem {
  const issue = error.issues[0]!
  const field = issue.code === 'unrecognized_keys' ? issue.keys[0]! : issue.path.join('.') || whole
  const message = issue.code === 'unrecognized_keys' ? 'is not a known field' : issue.message
  return { field, message, issue }
}

/**
 * The parsed value, or the error `fail` makes of the first problem.
 * @example const user = parseOrThrow(NewUserSchema, input, 'user', (p) => new Invalid(`${p.field}: ${p.message}`))
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, whole: string, fail: (problem: Problem) => Error): z.output<S> {
  const parsed = schema.safeParse(value)
  if (!parsed.success) throw fail(firstProblem(parsed.error, whole))
  return parsed.data
}
