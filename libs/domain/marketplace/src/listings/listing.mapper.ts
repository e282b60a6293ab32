import { apiCategorySchema, billableOperationSchema, type ApiListingDto, type BillableOperation } from '@slipway/contracts';
import type { ListingRow } from './listings.repository';

/** Stored operations, as written through the contract; a row that no longer parses shows none. */
export function operationsOf(row: { operations: unknown }): BillableOperation[] {
  const parsed = billableOperationSchema.array().safeParse(row.operations);
  return parsed.success ? parsed.data : [];
}

export function toApiListingDto(row: ListingRow, names: { project: string; environment: string } | undefined, baseUrl: string): ApiListingDto {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    summary: row.summary,
    category: apiCategorySchema.catch('other').parse(row.category),
    visibility: row.visibility,
    status: row.status,
    termsUrl: row.termsUrl,
    openApiPath: row.openApiPath,
    operations: operationsOf(row),
    billServerErrors: row.billServerErrors,
    project: names?.project ?? null,
    environment: names?.environment ?? null,
    baseUrl,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    publishedAt: row.publishedAt?.toISOString() ?? null,
  };
}
