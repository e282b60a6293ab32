import { z } from 'zod';

/** The feature name the gateway attributes "Explain this failure" spend to (`x-slipway-feature`). */
export const EXPLAIN_FAILURE_FEATURE = 'explain-failure';

/** A model's explanation of a failed build or deployment, asked through Slipway's own gateway. */
export const explanationSchema = z.object({
  explanation: z.string(),
  /** The model that answered (`mock-smart` when no real provider is configured). */
  model: z.string(),
  /** The gateway request id: the row in the project's gateway requests. */
  requestId: z.string(),
});
export type ExplanationDto = z.infer<typeof explanationSchema>;
