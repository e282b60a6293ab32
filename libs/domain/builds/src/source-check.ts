import type { Config } from '@slipway/config';
import { displayPath, listTree, readBlobs, type ObjectEnv } from '@slipway/git';
import { byteSize, count } from './byte-size';
import { MAX_LINK_DEPTH, TreeLinks, type LinkProblem, type ShapeProblem } from './source-links';

export type SourceLimits = Pick<Config, 'PUSH_MAX_BLOB_BYTES' | 'PUSH_MAX_UNPACKED_BYTES' | 'PUSH_MAX_FILES'>;

/** A link target cannot be longer than PATH_MAX (4096 bytes with its terminating NUL). */
const MAX_LINK_TARGET_BYTES = 4095;

/**
 * Checks the tree of a commit before anything of it is stored as a build or written to disk:
 * every symbolic link stays inside the repository (resolved through the other links of the
 * tree, as the OS would), and no file, total or file count is over its limit. Reads git objects
 * only (`objects`: a push's quarantine), streaming, in time linear in the tree; stops at the
 * first problem. Submodules (gitlinks) are not part of an archive and are skipped.
 *
 * Returns the problem as a sentence naming the path (and target, limit and setting) and the
 * fix, or null when the commit may be built. The push and the build show the same sentence.
 */
export async function checkCommitSource(repositoryPath: string, rev: string, limits: SourceLimits, objects: ObjectEnv = {}): Promise<string | null> {
  const tree = new TreeLinks();
  const linkIds: string[] = [];
  let files = 0;
  let bytes = 0;
  for await (const entry of listTree(repositoryPath, rev, objects)) {
    if (entry.kind === 'submodule') continue;
    files += 1;
    bytes += entry.size;
    if (files > limits.PUSH_MAX_FILES) {
      return `The commit has more than ${count(limits.PUSH_MAX_FILES)} files, the most a commit may hold (PUSH_MAX_FILES=${limits.PUSH_MAX_FILES}). Keep generated and vendored files (node_modules, build output) out of git, or raise PUSH_MAX_FILES.`;
    }
    if (entry.size > limits.PUSH_MAX_BLOB_BYTES) {
      return `${displayPath(entry.path)} is ${byteSize(entry.size)}, larger than the ${byteSize(limits.PUSH_MAX_BLOB_BYTES)} a file may be (PUSH_MAX_BLOB_BYTES=${limits.PUSH_MAX_BLOB_BYTES}). Keep large files out of git (download them in the build instead), or raise PUSH_MAX_BLOB_BYTES.`;
    }
    if (bytes > limits.PUSH_MAX_UNPACKED_BYTES) {
      return `The files of the commit add up to more than ${byteSize(limits.PUSH_MAX_UNPACKED_BYTES)}, the most a commit may hold (PUSH_MAX_UNPACKED_BYTES=${limits.PUSH_MAX_UNPACKED_BYTES}). Keep large and generated files out of git, or raise PUSH_MAX_UNPACKED_BYTES.`;
    }
    const shape = tree.addEntry(entry.path, entry.kind === 'symlink');
    if (shape) return shapeMessage(shape);
    if (entry.kind === 'symlink') {
      if (entry.size > MAX_LINK_TARGET_BYTES) return `${displayPath(entry.path)} is a symbolic link with a target longer than ${MAX_LINK_TARGET_BYTES} bytes, which no system can follow. Remove it from the commit.`;
      linkIds.push(entry.objectId);
    }
  }
  if (!linkIds.length) return null;
  const blobs = await readBlobs(repositoryPath, linkIds, MAX_LINK_TARGET_BYTES, objects);
  // symlink(2) and tar both end a target at its first NUL byte; so does the check.
  tree.setTargets(linkIds.map((id) => (blobs.get(id)?.toString('latin1') ?? '').split('\0')[0]!));
  const escaping = tree.firstEscapingLink();
  return escaping ? linkMessage(escaping) : null;
}

function linkMessage({ path, target, why }: LinkProblem): string {
  const link = `${displayPath(path)} is a symbolic link to ${displayPath(target)}`;
  const fix = 'Links must point inside the repository: commit the file itself, or a relative link to a file of the repository.';
  if (why === 'absolute') return `${link}, an absolute path outside the repository. ${fix}`;
  if (why === 'escapes') return `${link}, which leads outside the repository (resolved through the links of the commit). ${fix}`;
  return `${link}, which goes through more than ${MAX_LINK_DEPTH} links or a loop of links. Shorten the chain of links.`;
}

function shapeMessage({ path, why }: ShapeProblem): string {
  const name = displayPath(path);
  if (why === 'bad-name') return `The commit holds a path that cannot be checked out safely: "${name}" (an empty, "." or ".." name). Rewrite the commit without it.`;
  if (why === 'duplicate') return `The commit holds ${name} twice (a malformed tree). Rewrite the commit with one entry per path.`;
  return `The commit holds ${name} both as a folder and as a file or symbolic link (a malformed tree). Rewrite the commit.`;
}
