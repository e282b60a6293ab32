'use client';

import type { ApiListingDto, BillableOperation } from '@slipway/contracts';
import { useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { api } from '../../lib/api';
import { setApiQueryData, useApiQuery, useInvalidateApi } from '../../lib/api-query';
import { useCan, useOrg } from '../../lib/org';
import { useAction } from '../../lib/use-action';
import { ErrorAlert, Notice } from '../ui/alert';
import { Button } from '../ui/button';
import { TextAreaField } from '../ui/field';
import { Badge, PageHeader, Section } from '../ui/layout-bits';
import { ResourceState } from '../ui/resource-state';
import { ApiAnalyticsSection } from './api-analytics-section';
import { ApiPlansSection } from './api-plans-section';
import { EdgeSecretNotice } from './edge-secret';
import { InvoicesTable } from './invoices-table';
import { OperationsEditor, operationErrors } from './operations-editor';
import { ApiError } from '../../lib/api';

const STATUS_TONE = { DRAFT: 'zinc', PUBLISHED: 'green', ARCHIVED: 'amber' } as const;

/** One published (or draft) API: publish, operations, OpenAPI, plans, proxy secret, analytics, subscribers' invoices. */
export function ApiAdminView({ slug }: { slug: string }) {
  const org = useOrg();
  const q = useApiQuery('getApiListing', { org: org.slug, api: slug });
  return (
    <ResourceState query={q} what="API">
      {(listing) => <ApiAdmin listing={listing} />}
    </ResourceState>
  );
}

function ApiAdmin({ listing }: { listing: ApiListingDto }) {
  const org = useOrg();
  const canWrite = useCan('MEMBER');
  const client = useQueryClient();
  const invalidate = useInvalidateApi();
  const action = useAction();
  const params = { org: org.slug, api: listing.slug };
  const [secret, setSecret] = useState<string | null>(null);

  async function setPublished(publish: boolean) {
    const updated = await action.run(() => api(publish ? 'publishApiListing' : 'unpublishApiListing', { params }));
    if (!updated) return;
    setApiQueryData(client, 'getApiListing', params, () => updated);
    await invalidate('listApiListings', 'catalog', 'catalogListing');
  }
  async function rotate() {
    const r = await action.run(() => api('rotateApiListingSecret', { params }));
    if (r) setSecret(r.edgeSecret);
  }

  return (
    <>
      <PageHeader
        crumbs={[{ href: `/o/${org.slug}/apis`, label: 'APIs' }]}
        title={
          <span className="flex items-center gap-2">
            {listing.name} <Badge tone={STATUS_TONE[listing.status]}>{listing.status.toLowerCase()}</Badge>
          </span>
        }
        description={
          <span>
            {listing.summary} · <code className="font-mono text-xs">{listing.baseUrl}</code>
            {listing.status === 'PUBLISHED' ? (
              <>
                {' · '}
                <Link href={`/catalog/${listing.slug}`} className="text-blue-700 hover:underline">
                  Catalog page
                </Link>
              </>
            ) : null}
          </span>
        }
        actions={
          canWrite ? (
            listing.status === 'PUBLISHED' ? (
              <Button busy={action.busy} onClick={() => void setPublished(false)}>
                Unpublish
              </Button>
            ) : (
              <Button variant="primary" busy={action.busy} onClick={() => void setPublished(true)}>
                Publish
              </Button>
            )
          ) : null
        }
      />
      <div className="mb-4">
        <ErrorAlert>{action.error}</ErrorAlert>
      </div>
      <ApiPlansSection listing={listing} canWrite={canWrite} />
      {canWrite ? <OperationsSection listing={listing} /> : null}
      <OpenApiSection listing={listing} canWrite={canWrite} />
      {canWrite ? (
        <Section
          title="Proxy secret"
          description="Sent by the edge in slipway-proxy-secret on every call it admitted; your app refuses calls without it."
        >
          {secret ? <EdgeSecretNotice secret={secret} /> : null}
          <Button size="sm" onClick={() => void rotate()} busy={action.busy}>
            Rotate the proxy secret
          </Button>
        </Section>
      ) : null}
      <ApiAnalyticsSection listing={listing} />
      <ListingInvoices listing={listing} />
    </>
  );
}

function OperationsSection({ listing }: { listing: ApiListingDto }) {
  const org = useOrg();
  const client = useQueryClient();
  const [ops, setOps] = useState<BillableOperation[]>(listing.operations);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const action = useAction();
  async function save() {
    setSaved(false);
    setErrors({});
    try {
      const updated = await api('updateApiListing', { params: { org: org.slug, api: listing.slug }, body: { operations: ops } });
      setApiQueryData(client, 'getApiListing', { org: org.slug, api: listing.slug }, () => updated);
      setSaved(true);
    } catch (err) {
      if (err instanceof ApiError) {
        setErrors(operationErrors(err.problem?.errors));
        action.setError(err.message);
      } else throw err;
    }
  }
  return (
    <Section
      title="Billable operations"
      description="A call matching none of them is forwarded but not billed (docs, health). Weight = quota units one call uses."
    >
      <div className="flex flex-col gap-3">
        <ErrorAlert>{action.error}</ErrorAlert>
        {saved ? <Notice tone="success">Saved: the edge uses the new operations within a second.</Notice> : null}
        <OperationsEditor value={ops} onChange={setOps} errors={errors} />
        <div>
          <Button onClick={() => void save()}>Save operations</Button>
        </div>
      </div>
    </Section>
  );
}

function OpenApiSection({ listing, canWrite }: { listing: ApiListingDto; canWrite: boolean }) {
  const org = useOrg();
  const params = { org: org.slug, api: listing.slug };
  const spec = useApiQuery('getApiSpec', params);
  const invalidate = useInvalidateApi();
  const [text, setText] = useState('');
  const action = useAction();
  async function upload() {
    const r = await action.run(() => api('uploadApiSpec', { params, body: { document: text } }));
    if (r) {
      setText('');
      await invalidate('getApiSpec', 'catalogListing');
    }
  }
  const paths = spec.data ? Object.keys((spec.data.document.paths as Record<string, unknown> | undefined) ?? {}) : [];
  return (
    <Section
      title="OpenAPI document"
      description={
        listing.openApiPath
          ? `Read from the app at ${listing.openApiPath} after each deploy, or uploaded here.`
          : 'Uploaded here (no path is read from the app).'
      }
    >
      <div className="flex flex-col gap-3">
        {spec.data ? (
          <p className="text-sm text-zinc-700" role="status">
            Current document: {spec.data.source === 'APP' ? 'from the app' : 'uploaded'}, {paths.length} paths ({paths.join(', ')}), sha256{' '}
            {spec.data.sha256.slice(0, 12)}…
          </p>
        ) : spec.error?.status === 404 ? (
          <p className="text-sm text-zinc-500">
            No document yet.{' '}
            {listing.openApiPath
              ? `It is read from the app at ${listing.openApiPath} when the next release goes live; or upload it now.`
              : 'Upload it below.'}
          </p>
        ) : null}
        {canWrite ? (
          <>
            <TextAreaField
              label="Upload an OpenAPI 3 document (JSON or YAML)"
              rows={6}
              value={text}
              onChange={(e) => setText(e.target.value)}
              error={action.error}
            />
            <div>
              <Button onClick={() => void upload()} busy={action.busy} disabled={!text.trim()}>
                Upload
              </Button>
            </div>
          </>
        ) : null}
      </div>
    </Section>
  );
}

function ListingInvoices({ listing }: { listing: ApiListingDto }) {
  const org = useOrg();
  const q = useApiQuery('listingInvoices', { org: org.slug, api: listing.slug });
  return (
    <Section title="Subscribers' invoices">
      <ResourceState query={q} what="invoices">
        {(page) => (
          <InvoicesTable invoices={page.invoices} showConsumer href={(id) => `/o/${org.slug}/apis/${listing.slug}/invoices/${id}`} />
        )}
      </ResourceState>
    </Section>
  );
}
