import { Global, Module } from '@nestjs/common';
import { GitRepositories } from './git-repositories';

@Global()
@Module({ providers: [GitRepositories], exports: [GitRepositories] })
export class GitModule {}
