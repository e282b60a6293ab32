/** The Docker network of a project: its replicas and its gateway relay, and no other project's containers. */
export const projectNetwork = (projectId: string): string => `slipway-${projectId}`;
