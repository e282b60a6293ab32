import { describe, expect, it } from 'vitest';
import { isNotFound, isUniqueViolation } from './prisma-errors';

// Shapes as Prisma 7.10 throws them (recorded from db.int-spec.ts runs).
const known = (code: string, meta: Record<string, unknown>) =>
  Object.assign(new Error('Invalid invocation'), { name: 'PrismaClientKnownRequestError', code, meta, clientVersion: '7.10.1' });

const adapterUnique = (table: string, index: string) =>
  known('P2002', {
    modelName: table,
    driverAdapterError: { name: 'DriverAdapterError', cause: { originalCode: '23505', kind: 'UniqueConstraintViolation', constraint: { index }, table } },
  });

describe('isUniqueViolation', () => {
  it('reads the fields from a PostgreSQL index name (driver adapter)', () => {
    const err = adapterUnique('Project', 'Project_organizationId_slug_key');
    expect(isUniqueViolation(err)).toBe(true);
    expect(isUniqueViolation(err, 'slug')).toBe(true);
    expect(isUniqueViolation(err, 'organizationId')).toBe(true);
    expect(isUniqueViolation(err, 'name')).toBe(false);
  });

  it('reads constraint fields and the native engine’s meta.target', () => {
    expect(isUniqueViolation(known('P2002', { driverAdapterError: { cause: { constraint: { fields: ['"email"'] } } } }), 'email')).toBe(true);
    expect(isUniqueViolation(known('P2002', { target: ['email'] }), 'email')).toBe(true);
    expect(isUniqueViolation(known('P2002', { target: 'User_email_key' }), 'name')).toBe(false);
  });

  it('is false for anything else', () => {
    expect(isUniqueViolation(known('P2025', {}))).toBe(false);
    expect(isUniqueViolation(Object.assign(new Error('x'), { code: 'P2002' }))).toBe(false);
    expect(isUniqueViolation(undefined)).toBe(false);
  });
});

describe('isNotFound', () => {
  it('is true only for P2025', () => {
    expect(isNotFound(known('P2025', { modelName: 'User', operation: 'an update' }))).toBe(true);
    expect(isNotFound(adapterUnique('User', 'User_email_key'))).toBe(false);
    expect(isNotFound('P2025')).toBe(false);
  });
});
