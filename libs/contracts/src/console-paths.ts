/**
 * Console pages the platform links to from outside the console (the `git push` output).
 * Paths under PUBLIC_CONSOLE_URL; they follow apps/console/app/o/[org]/projects/[project]/….
 */
export const consolePaths = {
  build: (org: string, project: string, buildId: string): string => `/o/${org}/projects/${project}/builds/${buildId}`,
  environment: (org: string, project: string, environment: string): string => `/o/${org}/projects/${project}/environments/${environment}`,
  deployment: (org: string, project: string, environment: string, deploymentId: string): string =>
    `/o/${org}/projects/${project}/environments/${environment}/deployments/${deploymentId}`,
};
