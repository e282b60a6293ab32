import { randomBytes } from 'node:crypto';
import { MAX_DNS_LABEL_LENGTH, appHostName, isReservedHostLabel, type PlatformHosts } from '@slipway/contracts';

/** A project's label is at most a slug's length, so `<label>--<env>` fits in one DNS label for any environment name up to 21 characters. */
export const MAX_HOST_LABEL_LENGTH = 40;

/** Runs of hyphens collapse to one (`--` is the separator of generated names) and no hyphen ends the label. */
const tidy = (s: string, max: number): string => s.replace(/-{2,}/g, '-').slice(0, max).replace(/-+$/, '');

const randomSuffix = (bytes: number): string => randomBytes(bytes).toString('hex');

/**
 * The labels a new project tries in order, reserved ones left out: its slug, `<slug>-<org>`,
 * `<slug>-<random>`. The caller takes the first that no project or host has yet.
 */
export function projectLabelCandidates(slug: string, orgSlug: string, platform: PlatformHosts, random = randomSuffix): string[] {
  const candidates = [tidy(slug, MAX_HOST_LABEL_LENGTH), tidy(`${slug}-${orgSlug}`, MAX_HOST_LABEL_LENGTH), `${tidy(slug, 33)}-${random(3)}`];
  return [...new Set(candidates)].filter((label) => label.length >= 2 && !isReservedHostLabel(label, platform));
}

/** When every candidate is taken: a label with 48 random bits, which nothing else will have. */
export const lastResortProjectLabel = (slug: string, random = randomSuffix): string => `${tidy(slug, 27)}-${random(6)}`;

/**
 * The generated names an environment tries in order: the naming rule's (`<label>--<env>`),
 * then the same with a random suffix, for the rare name a project created before the rule
 * already answers at.
 */
export function environmentHostCandidates(hostLabel: string, environmentName: string, random = randomSuffix): string[] {
  const name = appHostName(hostLabel, environmentName);
  return [name, `${name.slice(0, MAX_DNS_LABEL_LENGTH - 7)}-${random(3)}`];
}

/** Why an environment name is too long for the project's label, or null: the generated name must fit in one DNS label. */
export function environmentNameTooLong(hostLabel: string, environmentName: string): string | null {
  if (appHostName(hostLabel, environmentName).length <= MAX_DNS_LABEL_LENGTH) return null;
  const room = MAX_DNS_LABEL_LENGTH - hostLabel.length - 2;
  return `Use at most ${room} characters: the app host name ${hostLabel}--<environment> must fit in ${MAX_DNS_LABEL_LENGTH} characters.`;
}
