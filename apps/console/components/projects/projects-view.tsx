'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { formatDate } from '../../lib/format';
import { useCan, useOrg } from '../../lib/org';
import { useApiQuery, useInvalidateApi } from '../../lib/api-query';
import { Empty, PageHeader, Section } from '../ui/layout-bits';
import { ResourceState } from '../ui/resource-state';
import { Table, Td } from '../ui/table';
import { NewProjectForm } from './new-project-form';

export function ProjectsView() {
  const org = useOrg();
  const canCreate = useCan('MEMBER');
  const router = useRouter();
  const projects = useApiQuery('listProjects', { org: org.slug });
  const invalidate = useInvalidateApi();

  return (
    <>
      <PageHeader title="Projects" description={`Apps deployed by ${org.name}.`} />
      {canCreate ? (
        <Section title="New project" description="A project gets a production environment and a git repository to push to.">
          <NewProjectForm
            org={org.slug}
            onCreated={(p) => {
              void invalidate('listProjects');
              router.push(`/o/${org.slug}/projects/${p.slug}`);
            }}
          />
        </Section>
      ) : null}
      <Section title="All projects">
        <ResourceState query={projects}>
          {(list) =>
            list.length === 0 ? (
              <Empty>No projects yet.{canCreate ? ' Create your first one above.' : ''}</Empty>
            ) : (
              <Table label="Projects" head={['Name', 'Slug', 'Environments', 'Created']}>
                {list.map((p) => (
                  <tr key={p.id} className="hover:bg-zinc-50">
                    <Td>
                      <Link href={`/o/${org.slug}/projects/${p.slug}`} className="font-medium text-zinc-900 hover:underline">
                        {p.name}
                      </Link>
                    </Td>
                    <Td className="font-mono text-xs text-zinc-600">{p.slug}</Td>
                    <Td>{p.environmentCount}</Td>
                    <Td className="text-zinc-500">{formatDate(p.createdAt)}</Td>
                  </tr>
                ))}
              </Table>
            )
          }
        </ResourceState>
      </Section>
    </>
  );
}
