export { SecretsModule } from './secrets.module';
export { SecretsService, type ResolvedEnvVar } from './secrets.service';
export { envVarAad } from './secrets.sealing';
export { parseDotenv, type DotenvEntry, type DotenvParseResult, type DotenvProblem } from './dotenv';
export { createRedactor, withholdAll, MIN_SECRET_LENGTH, REDACTED, WITHHELD, type Redactor } from './redact';
