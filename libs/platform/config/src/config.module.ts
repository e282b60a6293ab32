import { Global, Module } from '@nestjs/common';
import { loadConfig } from './load-config';
import type { Config } from './schema';

/** Injection token for the parsed configuration. */
export const CONFIG = Symbol('CONFIG');
export type { Config };

@Global()
@Module({ providers: [{ provide: CONFIG, useFactory: () => loadConfig() }], exports: [CONFIG] })
export class ConfigModule {}
