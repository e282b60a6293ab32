import { ProjectView } from '../../../../../components/projects/project-view';

export default async function ProjectPage({ params }: { params: Promise<{ project: string }> }) {
  const { project } = await params;
  return <ProjectView project={project} />;
}
