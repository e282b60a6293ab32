// Removes what deployments created on a Docker engine for a given set of projects, and only that:
// a shared engine may run other Slipway installations' apps, and another suite may be deploying
// at the same moment.
import { capture } from './system.mjs';

/** Removes the app containers, gateway relays and networks labelled with one of `projectIds`; returns the counts. */
export function removeProjectDockerObjects(projectIds, env = process.env) {
  const projects = new Set(projectIds);
  if (projects.size === 0) return { containers: 0, networks: 0 };
  const owned = (args) =>
    capture('docker', [...args, '--filter', 'label=slipway.managed=1', '--format', '{{.ID}} {{.Label "slipway.project"}}'], { env })
      .stdout.split('\n')
      .map((line) => line.split(' '))
      .filter(([id, project]) => id && projects.has(project))
      .map(([id]) => id);
  const containers = owned(['ps', '-a']);
  if (containers.length) capture('docker', ['rm', '-f', '-v', ...containers], { env });
  const networks = owned(['network', 'ls']);
  if (networks.length) capture('docker', ['network', 'rm', ...networks], { env });
  return { containers: containers.length, networks: networks.length };
}
