import type { FastifyRequest } from 'fastify';
import type { Actor, OrgActor } from '@slipway/contracts';
import type { AuthenticatedSession } from '@slipway/identity';

/** What the guard learned about the caller, attached to the request. */
export interface RequestContext {
  actor?: Actor;
  orgActor?: OrgActor;
  /** The session cookie value, when the caller used one (logout needs it). */
  sessionToken?: string;
  session?: AuthenticatedSession;
  via?: 'session' | 'token';
}

export type SlipwayRequest = FastifyRequest & { slipway?: RequestContext };

export const contextOf = (req: SlipwayRequest): RequestContext => (req.slipway ??= {});
