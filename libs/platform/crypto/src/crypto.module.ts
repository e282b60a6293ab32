import { Global, Module } from '@nestjs/common';
import { Envelope } from './envelope';
import { PasswordHasher } from './password-hasher';

/** Global: Envelope (needs the global CONFIG from ConfigModule) and PasswordHasher. */
@Global()
@Module({
  providers: [Envelope, PasswordHasher],
  exports: [Envelope, PasswordHasher],
})
export class CryptoModule {}
