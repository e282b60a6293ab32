'use client';

import { API_CATEGORIES, API_VISIBILITIES, type BillableOperation, type CreatedApiListingDto } from '@slipway/contracts';
import { useState, type FormEvent } from 'react';
import { ApiError, api } from '../../lib/api';
import { useApiQuery, useInvalidateApi } from '../../lib/api-query';
import { categoryLabel } from '../../lib/marketplace/labels';
import { useOrg } from '../../lib/org';
import { ErrorAlert } from '../ui/alert';
import { Button } from '../ui/button';
import { Checkbox, SelectField, TextField } from '../ui/field';
import { OperationsEditor, operationErrors } from './operations-editor';

const slugify = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);

/** List an environment as an API (a draft): the api's validation errors appear at their fields. */
export function CreateListingForm({ onCreated }: { onCreated: (listing: CreatedApiListingDto) => void }) {
  const org = useOrg();
  const invalidate = useInvalidateApi();
  const projects = useApiQuery('listProjects', { org: org.slug });
  const [project, setProject] = useState('');
  const chosenProject = project || projects.data?.[0]?.slug || '';
  const detail = useApiQuery('getProject', { org: org.slug, project: chosenProject }, { enabled: Boolean(chosenProject) });
  const [environment, setEnvironment] = useState('production');
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [slugTouched, setSlugTouched] = useState(false);
  const [summary, setSummary] = useState('');
  const [category, setCategory] = useState<string>('other');
  const [visibility, setVisibility] = useState<string>('PUBLIC');
  const [termsUrl, setTermsUrl] = useState('');
  const [openApiPath, setOpenApiPath] = useState('/openapi.json');
  const [operations, setOperations] = useState<BillableOperation[]>([{ method: 'GET', path: '/', weight: 1 }]);
  const [billServerErrors, setBillServerErrors] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [opErrors, setOpErrors] = useState<Record<string, string>>({});

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setFields({});
    setOpErrors({});
    try {
      const created = await api('createApiListing', {
        params: { org: org.slug },
        body: {
          project: chosenProject,
          environment,
          name: name.trim(),
          slug: (slug || slugify(name)).trim(),
          summary,
          category: category as (typeof API_CATEGORIES)[number],
          visibility: visibility as (typeof API_VISIBILITIES)[number],
          termsUrl: termsUrl.trim() || null,
          openApiPath: openApiPath.trim() || null,
          operations,
          billServerErrors,
        },
      });
      await invalidate('listApiListings');
      onCreated(created);
    } catch (err) {
      if (err instanceof ApiError) {
        setError(err.message);
        setFields(err.fieldErrors());
        setOpErrors(operationErrors(err.problem?.errors));
      } else setError(err instanceof Error ? err.message : 'Something went wrong.');
    } finally {
      setBusy(false);
    }
  }

  const envs = detail.data?.environments ?? [];
  return (
    <form onSubmit={submit} aria-label="New API" noValidate className="flex flex-col gap-4">
      <ErrorAlert>{error}</ErrorAlert>
      <div className="grid gap-3 sm:grid-cols-2">
        <SelectField label="Project" value={chosenProject} onChange={(e) => setProject(e.target.value)} error={fields.project}>
          {(projects.data ?? []).map((p) => (
            <option key={p.slug} value={p.slug}>
              {p.name}
            </option>
          ))}
        </SelectField>
        <SelectField label="Environment" value={environment} onChange={(e) => setEnvironment(e.target.value)} error={fields.environment}>
          {(envs.length ? envs.map((x) => x.name) : ['production']).map((n) => (
            <option key={n}>{n}</option>
          ))}
        </SelectField>
        <TextField
          label="API name"
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            if (!slugTouched) setSlug(slugify(e.target.value));
          }}
          error={fields.name}
        />
        <TextField
          label="API slug"
          value={slug}
          onChange={(e) => {
            setSlug(e.target.value);
            setSlugTouched(true);
          }}
          error={fields.slug}
          hint="Consumers call <slug>.<API domain>; unique across this Slipway."
          className="font-mono"
        />
        <TextField
          label="Summary"
          value={summary}
          onChange={(e) => setSummary(e.target.value)}
          error={fields.summary}
          fieldClassName="sm:col-span-2"
        />
        <SelectField label="Category" value={category} onChange={(e) => setCategory(e.target.value)} error={fields.category}>
          {API_CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {categoryLabel(c)}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Visibility"
          value={visibility}
          onChange={(e) => setVisibility(e.target.value)}
          error={fields.visibility}
          hint="Unlisted: reachable by its link only. Private: your organization's members only."
        >
          {API_VISIBILITIES.map((v) => (
            <option key={v} value={v}>
              {v.charAt(0) + v.slice(1).toLowerCase()}
            </option>
          ))}
        </SelectField>
        <TextField
          label="OpenAPI path"
          value={openApiPath}
          onChange={(e) => setOpenApiPath(e.target.value)}
          error={fields.openApiPath}
          hint="Read from the app after each deploy; empty to upload the document instead."
          className="font-mono"
        />
        <TextField label="Terms URL (optional)" value={termsUrl} onChange={(e) => setTermsUrl(e.target.value)} error={fields.termsUrl} />
      </div>
      <OperationsEditor value={operations} onChange={setOperations} errors={opErrors} />
      <Checkbox
        label="Bill answers with status 5xx too (off: server errors are not billed)"
        checked={billServerErrors}
        onChange={(e) => setBillServerErrors(e.target.checked)}
      />
      <div>
        <Button type="submit" variant="primary" busy={busy}>
          Create API
        </Button>
      </div>
    </form>
  );
}
