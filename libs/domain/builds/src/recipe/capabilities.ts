/** Every Linux capability name (capabilities(7), without the `CAP_` prefix), as of Linux 6.x. */
export const LINUX_CAPABILITIES = [
  'AUDIT_CONTROL',
  'AUDIT_READ',
  'AUDIT_WRITE',
  'BLOCK_SUSPEND',
  'BPF',
  'CHECKPOINT_RESTORE',
  'CHOWN',
  'DAC_OVERRIDE',
  'DAC_READ_SEARCH',
  'FOWNER',
  'FSETID',
  'IPC_LOCK',
  'IPC_OWNER',
  'KILL',
  'LEASE',
  'LINUX_IMMUTABLE',
  'MAC_ADMIN',
  'MAC_OVERRIDE',
  'MKNOD',
  'NET_ADMIN',
  'NET_BIND_SERVICE',
  'NET_BROADCAST',
  'NET_RAW',
  'PERFMON',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYSLOG',
  'SYS_ADMIN',
  'SYS_BOOT',
  'SYS_CHROOT',
  'SYS_MODULE',
  'SYS_NICE',
  'SYS_PACCT',
  'SYS_PTRACE',
  'SYS_RAWIO',
  'SYS_RESOURCE',
  'SYS_TIME',
  'SYS_TTY_CONFIG',
  'WAKE_ALARM',
] as const;
export type LinuxCapability = (typeof LINUX_CAPABILITIES)[number];

/**
 * What a project may opt into from its own `slipway.yaml`: Docker's default capability set,
 * nothing more. Anyone who can push writes that file, so a capability that lets a container
 * reach the host or other tenants (SYS_ADMIN, NET_ADMIN, SYS_PTRACE, SYS_MODULE, …) is never
 * granted from it; an operator-level setting would be the place for those.
 */
export const ALLOWED_CAPABILITIES = [
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'NET_RAW',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
] as const satisfies readonly LinuxCapability[];
export type AllowedCapability = (typeof ALLOWED_CAPABILITIES)[number];

const KNOWN = new Set<string>(LINUX_CAPABILITIES);
const ALLOWED = new Set<string>(ALLOWED_CAPABILITIES);

/** `cap_net_bind_service` and `CAP_NET_BIND_SERVICE` → `NET_BIND_SERVICE` (Docker accepts both spellings). */
export const normalizeCapability = (name: string): string => name.trim().toUpperCase().replace(/^CAP_/, '');

/** Why a (normalized) name cannot be added, or null when it can. */
export function capabilityProblem(name: string): string | null {
  if (name === 'ALL') return 'Name each capability; ALL is not allowed.';
  if (!KNOWN.has(name)) return `"${name}" is not a Linux capability (e.g. NET_BIND_SERVICE).`;
  if (!ALLOWED.has(name)) {
    return `${name} is not allowed: it gives a container power over the host or other apps. Allowed: ${ALLOWED_CAPABILITIES.join(', ')}.`;
  }
  return null;
}
