import { allowedKeysAt, GATEWAY_CONFIG_KEYS, gatewayConfigSchema, unknownKeyMessage, type GatewayConfig } from '@slipway/contracts';

export type GatewayConfigValidation = { ok: true; config: GatewayConfig } | { ok: false; errors: { path: string; message: string }[] };

/**
 * Validates routing sent as JSON (the organization defaults API): the same rules as the
 * `gateway:` section of slipway.yaml, with dotted paths (`models.chat.routes.0.provider`)
 * instead of line numbers.
 */
export function validateGatewayConfig(value: unknown): GatewayConfigValidation {
  const parsed = gatewayConfigSchema.safeParse(value);
  if (parsed.success) return { ok: true, config: parsed.data };
  const errors = parsed.error.issues.flatMap((issue) => {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: [...path, key].join('.'),
        message: unknownKeyMessage(path.join('.'), key, allowedKeysAt(GATEWAY_CONFIG_KEYS, path)),
      }));
    }
    return [{ path: path.join('.'), message: issue.message }];
  });
  return { ok: false, errors };
}
