/** `Release.runtime` as RunBuild writes it: resolved once at build time, immutable after. */
export interface ReleaseRuntime {
  port: number;
  healthCheckPath: string;
  healthCheckTimeoutSeconds: number;
  memoryMb: number;
  cpuMillis: number;
  replicas: number;
  capAdd: string[];
  /** Replaces the image's CMD (run through `sh -c`), or null. */
  command: string | null;
}

const int = (value: unknown, fallback: number, min: number, max: number): number =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : fallback;

/**
 * Reads the stored JSON defensively: a release written by an older build keeps deploying with
 * sane defaults instead of failing on a missing field.
 */
export function readReleaseRuntime(json: unknown): ReleaseRuntime {
  const raw = (json && typeof json === 'object' ? json : {}) as Record<string, unknown>;
  const path = typeof raw.healthCheckPath === 'string' && raw.healthCheckPath.startsWith('/') ? raw.healthCheckPath : '/';
  return {
    port: int(raw.port, 3000, 1, 65535),
    healthCheckPath: path,
    healthCheckTimeoutSeconds: int(raw.healthCheckTimeoutSeconds, 60, 1, 3600),
    memoryMb: int(raw.memoryMb, 512, 6, 1 << 20),
    cpuMillis: int(raw.cpuMillis, 1000, 10, 1 << 20),
    replicas: int(raw.replicas, 1, 1, 100),
    capAdd: Array.isArray(raw.capAdd) ? raw.capAdd.filter((c): c is string => typeof c === 'string') : [],
    command: typeof raw.command === 'string' && raw.command.trim() !== '' ? raw.command : null,
  };
}

/** `slipway.yaml`'s `healthCheck.intervalMs` from the release's stored config, if set. */
export function healthIntervalOf(slipwayConfig: unknown): number | undefined {
  const hc = (slipwayConfig as { healthCheck?: { intervalMs?: unknown } } | null)?.healthCheck;
  return typeof hc?.intervalMs === 'number' && hc.intervalMs >= 50 ? hc.intervalMs : undefined;
}

/** `{ KEY: version }` from `Release.envVarVersions`. */
export function readEnvVarVersions(json: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (json && typeof json === 'object' && !Array.isArray(json)) {
    for (const [k, v] of Object.entries(json)) if (typeof v === 'number') out[k] = v;
  }
  return out;
}
