import type { Metadata } from 'next';
import { InviteView } from '../../../components/invite/invite-view';

export const metadata: Metadata = { title: 'Invitation' };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return <InviteView token={token} />;
}
