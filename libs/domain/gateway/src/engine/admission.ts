import { GATEWAY_ERROR_CODES, type GatewayKeyScope } from '@slipway/contracts';
import type { GatewayCaller, GatewayCallerResolution } from '../callers';
import type { ErrorAnswer } from './client-response';

/** The key's verdict, before anything of the body is read: who calls, or the answer refusing them. */
export type Admission = { caller: GatewayCaller; refusal?: undefined } | { caller?: undefined; refusal: ErrorAnswer };

/** Why a key is refused, with the stable code clients branch on (docs/gateway.md, Errors). */
export const AUTH_REFUSALS = {
  invalid: {
    code: GATEWAY_ERROR_CODES.KEY_INVALID,
    message: 'Invalid API key. Use a Slipway gateway key (sk-slw-…) from the console or the ANTHROPIC_API_KEY / OPENAI_API_KEY of a deployment.',
  },
  revoked: { code: GATEWAY_ERROR_CODES.KEY_REVOKED, message: 'This API key has been revoked. Create a new key in the console.' },
  expired: { code: GATEWAY_ERROR_CODES.KEY_EXPIRED, message: 'This API key has expired. Create a new key in the console.' },
  environment_deleted: {
    code: GATEWAY_ERROR_CODES.KEY_ENVIRONMENT_DELETED,
    message: "This API key belonged to an environment that was deleted. Use a key of an existing environment (its deployments' ANTHROPIC_API_KEY / OPENAI_API_KEY) or create one in the console.",
  },
} as const;

export function admissionOf(resolved: GatewayCallerResolution, scope: GatewayKeyScope): Admission {
  if (!resolved.ok) return { refusal: { status: 401, ...AUTH_REFUSALS[resolved.reason] } };
  if (!resolved.caller.scopes.includes(scope)) return { refusal: { status: 403, message: `This key lacks the "${scope}" scope.` } };
  return { caller: resolved.caller };
}
