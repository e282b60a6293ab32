/**
 * Recognising the Prisma errors repositories turn into AppErrors, without the domain importing
 * Prisma's error classes. Duck-typed on `code` on purpose: the class can come from more than one
 * copy of the runtime (CommonJS build vs. TypeScript sources under Vitest), so `instanceof` is
 * not reliable.
 */

interface KnownRequestError {
  name: 'PrismaClientKnownRequestError';
  code: string;
  meta?: Record<string, unknown>;
}

function isKnownRequestError(err: unknown, code: string): err is KnownRequestError {
  return (
    typeof err === 'object' &&
    err !== null &&
    (err as { name?: unknown }).name === 'PrismaClientKnownRequestError' &&
    (err as { code?: unknown }).code === code
  );
}

/**
 * P2002: a unique constraint rejected the write. With `field`, only when that column is part
 * of the violated constraint (`isUniqueViolation(err, 'email')`).
 */
export function isUniqueViolation(err: unknown, field?: string): boolean {
  if (!isKnownRequestError(err, 'P2002')) return false;
  return field === undefined || violatedFields(err).includes(field);
}

/** P2025: the row an update, delete or `…OrThrow` read needed does not exist. */
export function isNotFound(err: unknown): boolean {
  return isKnownRequestError(err, 'P2025');
}

/**
 * The columns of the violated constraint. The native engine reported them in `meta.target`;
 * driver adapters report `meta.driverAdapterError.cause.constraint`, which for PostgreSQL holds
 * only the index name, e.g. `Project_organizationId_slug_key` (Prisma's default naming:
 * `<Model>_<field>_<field>_key`), so the fields are read back from the name.
 */
function violatedFields({ meta }: KnownRequestError): string[] {
  const target = meta?.['target'];
  if (Array.isArray(target)) return target.map(String);
  if (typeof target === 'string') return [target];

  const cause = (meta?.['driverAdapterError'] as { cause?: { table?: string; constraint?: unknown } } | undefined)?.cause;
  const constraint = cause?.constraint as { fields?: unknown; index?: unknown } | undefined;
  if (Array.isArray(constraint?.fields)) return constraint.fields.map((f) => String(f).replaceAll('"', ''));
  if (typeof constraint?.index === 'string') {
    const model = cause?.table ?? (meta?.['modelName'] as string | undefined) ?? '';
    const name = constraint.index.replace(new RegExp(`^${escapeRegExp(model)}_`), '').replace(/_key$/, '');
    return name.split('_');
  }
  return [];
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
