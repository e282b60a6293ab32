import { DEFAULT_TIMEOUTS, type GatewayConfig } from '@slipway/contracts';
import { validationFailed } from '@slipway/errors';

/** What a drill breaks and what its load asks for, resolved against the environment's routing. */
export interface DrillTarget {
  /** `provider/model` of the route the fault is injected into. */
  routeKey: string;
  /** The alias the synthetic load asks for. */
  alias: string;
  /** Every route key of the alias: the breakers whose state changes the report shows. */
  aliasRouteKeys: string[];
  /** The route's first-byte timeout (an injected timeout hangs for at most this long). */
  firstByteMs: number;
}

const keyOf = (route: { provider: string; model: string }): string => `${route.provider}/${route.model}`;

/**
 * Picks the route and alias of a drill: the route named (else the first route of the alias
 * named, else of the first alias), and the alias named (else the first one holding the route).
 * Anything the routing does not have is a 400 that lists what it does have.
 */
export function resolveDrillTarget(config: GatewayConfig, input: { route?: string; alias?: string }): DrillTarget {
  const aliases = Object.entries(config.models ?? {});
  if (aliases.length === 0) throw validationFailed([{ path: 'route', message: 'The environment’s routing has no model aliases to drill.' }]);

  let entry = input.alias === undefined ? undefined : aliases.find(([name]) => name === input.alias);
  if (input.alias !== undefined && !entry) {
    throw validationFailed([{ path: 'alias', message: `No alias "${input.alias}" in the environment’s routing (aliases: ${aliases.map(([name]) => name).join(', ')}).` }]);
  }
  if (input.route !== undefined) {
    const route = input.route;
    if (entry && !entry[1].routes.some((r) => keyOf(r) === route)) {
      throw validationFailed([{ path: 'route', message: `Alias "${entry[0]}" has no route ${route} (its routes: ${entry[1].routes.map(keyOf).join(', ')}).` }]);
    }
    entry ??= aliases.find(([, alias]) => alias.routes.some((r) => keyOf(r) === route));
    if (!entry) {
      const known = [...new Set(aliases.flatMap(([, alias]) => alias.routes.map(keyOf)))];
      throw validationFailed([{ path: 'route', message: `No route ${route} in the environment’s routing (routes: ${known.join(', ')}).` }]);
    }
  }
  const [alias, model] = entry ?? aliases[0]!;
  const route = input.route === undefined ? model.routes[0]! : model.routes.find((r) => keyOf(r) === input.route)!;
  return {
    routeKey: keyOf(route),
    alias,
    aliasRouteKeys: [...new Set(model.routes.map(keyOf))],
    firstByteMs: route.timeouts?.firstByteMs ?? DEFAULT_TIMEOUTS.firstByteMs,
  };
}
