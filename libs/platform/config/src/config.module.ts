import { Global, Module, type DynamicModule } from '@nestjs/common';
import { loadConfig } from './load-config';
import type { Config } from './schema';

/** Injection token for the parsed configuration. */
export const CONFIG = Symbol('CONFIG');
export type { Config };

@Global()
@Module({ providers: [{ provide: CONFIG, useFactory: () => loadConfig() }], exports: [CONFIG] })
export class ConfigModule {
  /** The configuration an entry point already parsed (the api's main.ts, tests): parsed once, used as given. */
  static withConfig(config: Config): DynamicModule {
    return { module: GivenConfigModule, global: true, providers: [{ provide: CONFIG, useValue: config }], exports: [CONFIG] };
  }
}

@Module({})
class GivenConfigModule {}
