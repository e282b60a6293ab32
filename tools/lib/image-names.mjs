// Which base images this machine makes itself. Names come from SLIPWAY_BASE_IMAGE_NODE (a
// template with {major}), SLIPWAY_BASE_IMAGE_STATIC and SLIPWAY_RELAY_IMAGE, defaults as in
// libs/platform/config/src/schema.ts (repeated: these scripts run before anything is built).
// Only the default slipway/ names are made locally; a setting that names another image (a
// registry's) is the operator's to provide.

/** The Node majors builds may ask for (an app's engines.node picks one). */
export const NODE_MAJORS = [20, 22, 24];

export const DEFAULT_IMAGES = { node: 'slipway/node:{major}', static: 'slipway/static:1', relay: 'slipway/relay:1' };

/** @typedef {{ kind: 'node', major: number, name: string } | { kind: 'static' | 'relay', name: string }} ImageSpec */

/**
 * @param {NodeJS.ProcessEnv} env
 * @returns {{ local: ImageSpec[], elsewhere: string[] }} local: made here when missing; elsewhere: configured names left alone
 */
export function baseImagePlan(env = process.env) {
  const node = env.SLIPWAY_BASE_IMAGE_NODE || DEFAULT_IMAGES.node;
  const other = { static: env.SLIPWAY_BASE_IMAGE_STATIC || DEFAULT_IMAGES.static, relay: env.SLIPWAY_RELAY_IMAGE || DEFAULT_IMAGES.relay };
  /** @type {ImageSpec[]} */
  const local = [];
  const elsewhere = [];
  if (node === DEFAULT_IMAGES.node)
    local.push(
      ...NODE_MAJORS.map((major) => ({ kind: /** @type {const} */ ('node'), major, name: node.replace('{major}', String(major)) })),
    );
  else elsewhere.push(node);
  for (const kind of /** @type {const} */ (['static', 'relay'])) {
    if (other[kind] === DEFAULT_IMAGES[kind]) local.push({ kind, name: other[kind] });
    else elsewhere.push(other[kind]);
  }
  return { local, elsewhere };
}
