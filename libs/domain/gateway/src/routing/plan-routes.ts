import {
  DEFAULT_FALLBACK_ON,
  DEFAULT_TIMEOUTS,
  type GatewayConfig,
  type GatewayRoute,
  type ModelAlias,
  type ModelInfo,
  type RouteTimeouts,
} from '@slipway/contracts';
import { builtInModel, lookupModel, UNKNOWN_COMPATIBLE_MODEL } from './catalog';
import { describeNeeds, shortfalls } from './fit';
import type { ProviderRef } from './provider-ref';
import type { RequestNeeds } from './request-needs';

/** Attempts on a route when its config does not say: one retry, still capped by the retry budget. */
export const DEFAULT_MAX_ATTEMPTS = 2;

/** One attempt target. */
export interface PlannedRoute {
  alias: string | null;
  provider: ProviderRef;
  /** The model id sent to the provider, as written (snapshot ids kept). */
  model: string;
  info: ModelInfo;
  timeouts: Required<RouteTimeouts>;
  maxAttempts: number;
  /** Failure categories that move on to the next route. */
  fallbackOn: ReadonlySet<string>;
}

export type RoutePlan = { ok: true; alias: string | null; routes: PlannedRoute[] } | { ok: false; status: 400 | 404; message: string };

export interface PlanInput {
  config: GatewayConfig | null;
  /** The `model` the client asked for. */
  model: string;
  needs: RequestNeeds;
  providers: readonly ProviderRef[];
  /** [0, 1); Math.random by default. Draws the first route among weighted ones. */
  random?: () => number;
}

/**
 * Resolves the model a client asked for into the ordered routes to try:
 * 1. an alias under `config.models` → its routes that the organization can reach and whose
 *    model fits the request (tools, images, streaming, context); weighted routes share the
 *    first attempt in proportion to their weight, the rest follow in listed order;
 * 2. `<provider>/<model>` → that one route;
 * 3. a bare model id of the built-in catalog → the organization's providers of that kind;
 * 4. anything else → 404 naming the aliases.
 * A request no candidate can serve is a 400 that says what it needs and what each route lacks.
 */
export function planRoutes(input: PlanInput): RoutePlan {
  const { config, model } = input;
  const alias = config?.models && Object.hasOwn(config.models, model) ? config.models[model] : undefined;
  if (alias) return planAlias(input, model, alias);

  const slash = model.indexOf('/');
  if (slash > 0) {
    const provider = input.providers.find((p) => p.name === model.slice(0, slash));
    if (provider) return planExplicit(input, provider, model.slice(slash + 1));
  }

  const providers = input.providers.filter((p) => builtInModel(p.kind, model));
  if (providers.length > 0) {
    return planSingle(
      input,
      providers.map((provider) => ({ provider, model, info: lookupModel(provider, model, config?.catalog)! })),
    );
  }
  return { ok: false, status: 404, message: unknownModelMessage(input) };
}

function planAlias(input: PlanInput, name: string, alias: ModelAlias): RoutePlan {
  const fallbackOn = new Set(alias.fallbackOn ?? DEFAULT_FALLBACK_ON);
  const fitting: { route: GatewayRoute; planned: PlannedRoute }[] = [];
  const rejected: string[] = [];
  for (const route of alias.routes) {
    const label = `${route.provider}/${route.model}`;
    const provider = input.providers.find((p) => p.name === route.provider);
    if (!provider) {
      rejected.push(`${label}: provider "${route.provider}" is not set up in this organization`);
      continue;
    }
    const info = infoOf(input, provider, route.model);
    if (!info) {
      rejected.push(`${label}: not in the model catalog (describe it under gateway.catalog as "${label}")`);
      continue;
    }
    const lacks = shortfalls(info, input.needs);
    if (lacks.length > 0) {
      rejected.push(`${label}: ${lacks.join(', ')}`);
      continue;
    }
    fitting.push({
      route,
      planned: {
        alias: name,
        provider,
        model: route.model,
        info,
        timeouts: timeoutsOf(route.timeouts),
        maxAttempts: route.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
        fallbackOn,
      },
    });
  }
  if (fitting.length === 0) {
    return {
      ok: false,
      status: 400,
      message: `No route of "${name}" can serve this request, which needs ${describeNeeds(input.needs)}: ${rejected.join('; ')}.`,
    };
  }
  const first = drawWeighted(fitting, input.random ?? Math.random);
  const ordered = first ? [first, ...fitting.filter((f) => f !== first)] : fitting;
  return { ok: true, alias: name, routes: ordered.map((f) => f.planned) };
}

/** `<provider>/<model>` written out: the one route, if the model is known (or the provider is OpenAI-compatible). */
function planExplicit(input: PlanInput, provider: ProviderRef, model: string): RoutePlan {
  const info = infoOf(input, provider, model);
  if (!info) {
    return {
      ok: false,
      status: 404,
      message: `Unknown model "${model}" for provider "${provider.name}": it is not in the model catalog. Describe it under gateway.catalog as "${provider.name}/${model}", or use an alias.`,
    };
  }
  return planSingle(input, [{ provider, model, info }]);
}

function planSingle(input: PlanInput, candidates: { provider: ProviderRef; model: string; info: ModelInfo }[]): RoutePlan {
  const fitting = candidates.filter((c) => shortfalls(c.info, input.needs).length === 0);
  if (fitting.length === 0) {
    const lacks = candidates.map((c) => `${c.provider.name}/${c.model}: ${shortfalls(c.info, input.needs).join(', ')}`);
    return {
      ok: false,
      status: 400,
      message: `The model "${input.model}" cannot serve this request, which needs ${describeNeeds(input.needs)}: ${lacks.join('; ')}.`,
    };
  }
  const fallbackOn = new Set(DEFAULT_FALLBACK_ON);
  return {
    ok: true,
    alias: null,
    routes: fitting.map((c) => ({
      alias: null,
      provider: c.provider,
      model: c.model,
      info: c.info,
      timeouts: timeoutsOf(undefined),
      maxAttempts: DEFAULT_MAX_ATTEMPTS,
      fallbackOn,
    })),
  };
}

/** The catalog entry, or the permissive default for a model an OpenAI-compatible provider serves. */
function infoOf(input: PlanInput, provider: ProviderRef, model: string): ModelInfo | undefined {
  return (
    lookupModel(provider, model, input.config?.catalog) ?? (provider.kind === 'OPENAI_COMPATIBLE' ? UNKNOWN_COMPATIBLE_MODEL : undefined)
  );
}

/** Picks the first attempt among routes with a weight, in proportion to it; undefined when none has one. */
function drawWeighted<T extends { route: GatewayRoute }>(candidates: readonly T[], random: () => number): T | undefined {
  const weighted = candidates.filter((c) => (c.route.weight ?? 0) > 0);
  if (weighted.length === 0) return undefined;
  const total = weighted.reduce((sum, c) => sum + c.route.weight!, 0);
  let point = Math.min(Math.max(random(), 0), 1 - Number.EPSILON) * total;
  for (const c of weighted) {
    point -= c.route.weight!;
    if (point < 0) return c;
  }
  return weighted.at(-1);
}

function timeoutsOf(timeouts: RouteTimeouts | undefined): Required<RouteTimeouts> {
  return {
    connectMs: timeouts?.connectMs ?? DEFAULT_TIMEOUTS.connectMs,
    firstByteMs: timeouts?.firstByteMs ?? DEFAULT_TIMEOUTS.firstByteMs,
    idleMs: timeouts?.idleMs ?? DEFAULT_TIMEOUTS.idleMs,
    totalMs: timeouts?.totalMs ?? DEFAULT_TIMEOUTS.totalMs,
  };
}

function unknownModelMessage(input: PlanInput): string {
  const aliases = Object.keys(input.config?.models ?? {});
  const providers = input.providers.map((p) => p.name).join(', ');
  const known = `Known aliases: ${aliases.length > 0 ? aliases.join(', ') : 'none'}; or write <provider>/<model> (providers: ${providers}).`;
  const needs = kindServing(input.model);
  if (needs) return `No ${needs} provider is set up in this organization to serve "${input.model}". ${known}`;
  return `Unknown model or alias "${input.model}". ${known}`;
}

/** The provider kind whose built-in catalog has the model, when the organization has none of that kind. */
function kindServing(model: string): string | undefined {
  if (builtInModel('ANTHROPIC', model)) return 'Anthropic';
  if (builtInModel('OPENAI', model)) return 'OpenAI';
  return undefined;
}
