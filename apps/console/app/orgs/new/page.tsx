import type { Metadata } from 'next';
import { NewOrganizationForm } from '../../../components/shell/new-organization-form';

export const metadata: Metadata = { title: 'New organization' };

export default function NewOrganizationPage() {
  return <NewOrganizationForm />;
}
