import { BuildView } from '../../../../../../../components/deploys/build-view';

export default async function BuildPage({ params }: { params: Promise<{ project: string; build: string }> }) {
  const { project, build } = await params;
  return <BuildView project={project} buildId={build} />;
}
