import { Global, Module } from '@nestjs/common';
import { Envelope } from './envelope';
import { PasswordHasher } from './password-hasher';
import { SignedTokens } from './signed-tokens';

/** Global: Envelope (needs the global CONFIG from ConfigModule) and PasswordHasher. */
@Global()
@Module({
  providers: [Envelope, PasswordHasher, SignedTokens],
  exports: [Envelope, PasswordHasher, SignedTokens],
})
export class CryptoModule {}
