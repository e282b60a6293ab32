import { DeploymentView } from '../../../../../../../../../components/deploys/deployment-view';

export default async function DeploymentPage({ params }: { params: Promise<{ project: string; env: string; deployment: string }> }) {
  const { project, env, deployment } = await params;
  return <DeploymentView project={project} env={env} deploymentId={deployment} />;
}
