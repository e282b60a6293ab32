import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import type * as runtime from '@prisma/client/runtime/client';
import { CONFIG, type Config } from '@slipway/config';
import { type Prisma, PrismaClient } from './generated/prisma/client';

/**
 * Columns no query returns unless it asks for them with `omit: { <column>: false }`: the
 * hashes and sealed values that must never reach a DTO, a log line or an error message by
 * accident. Add every new secret column here.
 */
export const SECRET_COLUMNS = {
  user: { passwordHash: true },
  session: { tokenHash: true },
  apiToken: { tokenHash: true },
  invitation: { tokenHash: true },
  envVarVersion: { sealedValue: true },
  provider: { sealedCredential: true },
  gatewayKey: { tokenHash: true, sealedToken: true },
  apiListing: { sealedEdgeSecret: true },
  apiConsumerKey: { tokenHash: true },
} as const satisfies Prisma.GlobalOmitConfig;

/** The generated client, typed with the secret columns omitted. */
type OmittingClient = PrismaClient<never, typeof SECRET_COLUMNS>;

/** A client inside an interactive transaction: what repositories accept as their last, optional argument. */
export type Tx = Omit<OmittingClient, runtime.ITXClientDenyList>;

export interface TxOptions {
  maxWait?: number;
  timeout?: number;
  isolationLevel?: Prisma.TransactionIsolationLevel;
}

/**
 * Prisma types the callback of `$transaction` with the client's *default* options, so inside a
 * transaction the omitted columns would wrongly appear in result types (and `tx` would not be
 * the same type as the client). Retype it with `Tx`; the runtime already applies the omit there.
 */
interface DbClient extends Omit<OmittingClient, '$transaction'> {
  $transaction<R>(fn: (tx: Tx) => Promise<R>, options?: TxOptions): Promise<R>;
  $transaction<P extends Prisma.PrismaPromise<unknown>[]>(
    queries: [...P],
    options?: TxOptions,
  ): Promise<runtime.Types.Utils.UnwrapTuple<P>>;
}

const DbClient = PrismaClient as unknown as new (options: Prisma.PrismaClientOptions) => DbClient;

/**
 * The Prisma client on the pg driver adapter, as a Nest provider. It IS the client
 * (`prisma.project.findMany(…)`, `prisma.$transaction(async (tx) => …)`), for repositories only
 * (see README.md). It connects on the first query and disconnects when the module is destroyed.
 */
@Injectable()
export class PrismaService extends DbClient implements OnModuleDestroy {
  constructor(@Inject(CONFIG) config: Pick<Config, 'DATABASE_URL'>) {
    super({ adapter: new PrismaPg({ connectionString: config.DATABASE_URL }), omit: SECRET_COLUMNS });
  }

  /** Readiness probe: resolves when the database answers a query. */
  async ping(): Promise<void> {
    await this.$queryRaw`SELECT 1`;
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
  }
}
