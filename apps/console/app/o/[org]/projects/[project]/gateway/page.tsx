import type { Metadata } from 'next';
import { GatewayView } from '../../../../../../components/gateway/gateway-view';

export const metadata: Metadata = { title: 'Model gateway' };

export default async function ProjectGatewayPage({ params }: { params: Promise<{ project: string }> }) {
  const { project } = await params;
  return <GatewayView project={project} />;
}
