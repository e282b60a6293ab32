import { stat } from 'node:fs/promises';
import type { ObjectEnv } from '@slipway/git';

/**
 * Where the objects of a pushed commit are when its build starts. A build queued by a push
 * names the push's quarantine; that folder is gone once the push has ended — accepted, with
 * its objects moved into the repository (a push that stopped waiting for a busy or absent
 * worker), or refused, with them dropped (then the commit is missing and the build says so).
 * Either way the repository's own objects are the ones to read.
 */
export async function pushObjects(objects: ObjectEnv | undefined): Promise<ObjectEnv> {
  const quarantine = objects?.GIT_OBJECT_DIRECTORY;
  if (!objects || !quarantine) return {};
  return (await stat(quarantine).catch(() => null)) ? objects : {};
}
