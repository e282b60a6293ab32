import { execFile } from 'node:child_process';
import { mkdir, rm, access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Inject, Injectable } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';

const run = promisify(execFile);

/**
 * Bare repositories on disk, one per project, named by project id so a rename never moves
 * them. The real git binary does the work (push/fetch will be served by git-http-backend).
 */
@Injectable()
export class GitRepositories {
  private readonly root: string;

  constructor(@Inject(CONFIG) config: Pick<Config, 'DATA_DIR'>) {
    this.root = resolve(config.DATA_DIR, 'git');
  }

  pathOf(projectId: string): string {
    if (!/^[A-Za-z0-9-]+$/.test(projectId)) throw new Error(`invalid repository id: ${projectId}`);
    return join(this.root, `${projectId}.git`);
  }

  async create(projectId: string): Promise<string> {
    const path = this.pathOf(projectId);
    await mkdir(this.root, { recursive: true });
    await run('git', ['init', '--bare', '--quiet', '--initial-branch=main', path]);
    // Accept pushes over smart HTTP and keep history: no force-deleting the past.
    await run('git', ['-C', path, 'config', 'http.receivepack', 'true']);
    return path;
  }

  async exists(projectId: string): Promise<boolean> {
    try {
      await access(join(this.pathOf(projectId), 'HEAD'));
      return true;
    } catch {
      return false;
    }
  }

  async remove(projectId: string): Promise<void> {
    await rm(this.pathOf(projectId), { recursive: true, force: true });
  }
}
