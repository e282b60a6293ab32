import { z } from 'zod';

/** Lower-case DNS label: it becomes a hostname part (`<project>.<APPS_DOMAIN>`). */
export const slugSchema = z
  .string()
  .min(2, 'Use at least 2 characters.')
  .max(40, 'Use at most 40 characters.')
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, 'Use lower-case letters, digits and inner hyphens only.');

export const idSchema = z.string().min(1).max(64);
export const isoDateSchema = z.string();

/** Turns a display name into a slug candidate: "My App!" → "my-app". */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/g, '');
}

export const nameSchema = z.string().trim().min(1, 'Enter a name.').max(80, 'Use at most 80 characters.');

/** A whole number in [min, max], with one message that states the range (config files, settings). */
export const wholeNumberSchema = (min: number, max: number, unit = '') => {
  const message = `Use a whole number from ${min} to ${max}${unit}.`;
  return z.number({ error: message }).int(message).min(min, message).max(max, message);
};
