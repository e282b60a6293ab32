import { EnvironmentView } from '../../../../../../../components/variables/environment-view';

export default async function EnvironmentPage({ params }: { params: Promise<{ project: string; env: string }> }) {
  const { project, env } = await params;
  return <EnvironmentView project={project} env={env} />;
}
