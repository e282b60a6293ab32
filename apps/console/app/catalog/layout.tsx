import type { ReactNode } from 'react';
import { PublicShell } from '../../components/marketplace/public-shell';

/** The catalog is public: its own frame, no session needed (the api's catalog routes are `auth: 'public'`). */
export default function CatalogLayout({ children }: { children: ReactNode }) {
  return <PublicShell>{children}</PublicShell>;
}
