/**
 * @module The spam engine: pure functions over comments (no database, clock or network).
 * What it needs — the model, the context, the thresholds — is passed in.
 */
export { extractFeatures, domainOf, FEATURE_BITS, type Features, type TextFacts } from './features.ts'
export { AdaptedModel, LinearModel, trainModel, evidenceScalesOf, sigmoid, DEFAULT_TRAINING, type TextModel, type TrainingOptions, type SparseVector, type LabelledVector } from './model.ts'
export { FeatureSet, frequentFeatures, learnableMask, maskFromCommon, LEARNING_LIMITS, COMMON_SHARE, type LearningLimits } from './learning.ts'
export { classify, DEFAULT_THRESHOLDS, type Verdict, type VerdictKind, type Thresholds } from './verdict.ts'
export { crossValidate, toTrainingVector, count, balancedWeights, type LabelledSample } from './evaluate.ts'
export { scoresOf, type Scores, type Confusion } from './metrics.ts'
export type { CommentSample, CommentContext, Reputation, ReputationCounts, Label } from './sample.ts'
export { spamKinds, SPAM_KINDS, type SpamKind, type SpamKindMatch } from './spam-kinds.ts'
