export { createMockLlmServer, MOCK_MODELS, type MockLlmServer } from './server';
export { countTokens, tokenize } from './tokens';
export type * from './types';
