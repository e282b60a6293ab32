import { z } from 'zod';
import { SECURE_COOKIE_PREFIX, SESSION_COOKIE_BASE } from './cookies';
import { ERROR_CODES, problemSchema } from './errors';
import { API_PREFIX, routes, type RouteContract } from './routes';

const schema = (s: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(s, { io, unrepresentable: 'any', target: 'openapi-3.0' });

/** The OpenAPI 3.1 document, generated from the same zod contracts the console uses. */
export function buildOpenApiDocument(serverUrl: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [operationId, r] of Object.entries(routes) as [string, RouteContract][]) {
    const path = (API_PREFIX + r.path).replace(/:([A-Za-z]+)/g, '{$1}');
    const params = [...r.path.matchAll(/:([A-Za-z]+)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const status = String(r.status ?? 200);
    paths[path] ??= {};
    paths[path][r.method.toLowerCase()] = {
      operationId,
      summary: r.summary,
      tags: [r.tag],
      description: [
        r.auth === 'public' ? 'No authentication.' : 'Session cookie (with `x-csrf-token` on writes) or `Authorization: Bearer <API token>`.',
        r.role ? `Minimum role: ${r.role}.` : '',
        r.scope ? `Token scope: \`${r.scope}\`.` : '',
      ].filter(Boolean).join(' '),
      parameters: params,
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: schema(r.body, 'input') } } } } : {}),
      responses: {
        [status]: r.response
          ? { description: 'OK', content: { 'application/json': { schema: schema(r.response, 'output') } } }
          : { description: 'No content' },
        default: { description: 'Problem', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
      },
      ...(r.auth === 'public' ? { security: [] } : {}),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Slipway API',
      version: '1',
      description: `Error codes: ${Object.keys(ERROR_CODES).join(', ')}.`,
    },
    servers: [{ url: serverUrl }],
    paths,
    components: {
      schemas: { Problem: schema(problemSchema, 'output') },
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE_BASE, description: `\`${SECURE_COOKIE_PREFIX}${SESSION_COOKIE_BASE}\` when the console is served over HTTPS.` },
        token: { type: 'http', scheme: 'bearer' },
      },
    },
    security: [{ session: [] }, { token: [] }],
  };
}
