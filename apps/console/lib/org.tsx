'use client';

import { roleAtLeast, type Role } from '@slipway/contracts';
import { createContext, useContext } from 'react';

export interface CurrentOrg {
  slug: string;
  name: string;
  role: Role;
}

export const OrgContext = createContext<CurrentOrg | null>(null);

/** The organization of the current `/o/[org]` page, with the caller's role in it. */
export function useOrg(): CurrentOrg {
  const org = useContext(OrgContext);
  if (!org) throw new Error('useOrg must be used inside an organization page.');
  return org;
}

export function useCan(required: Role): boolean {
  return roleAtLeast(useOrg().role, required);
}

const LAST_ORG_KEY = 'slipway:last-org';

export function rememberOrg(slug: string): void {
  try {
    window.localStorage.setItem(LAST_ORG_KEY, slug);
  } catch {
    // Storage may be disabled; the first organization is a fine default.
  }
}

export function lastOrg(): string | null {
  try {
    return window.localStorage.getItem(LAST_ORG_KEY);
  } catch {
    return null;
  }
}
