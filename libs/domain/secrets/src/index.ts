export { SecretsModule } from './secrets.module';
export { SecretsService, envVarAad, type ResolvedEnvVar } from './secrets.service';
export { parseDotenv, type DotenvEntry, type DotenvParseResult, type DotenvProblem } from './dotenv';
