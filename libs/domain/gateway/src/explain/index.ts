export {
  FailureExplainer,
  MODEL_CLIENT_FACTORY,
  defaultModelClientFactory,
  EXPLAIN_MODEL,
  type FailureTarget,
  type ModelClientFactory,
} from './failure-explainer';
export { FailureReadsRepository } from './failure-reads.repository';
export { EXPLAIN_SYSTEM_PROMPT, buildFailurePrompt, deploymentFailurePrompt } from './failure-prompt';
