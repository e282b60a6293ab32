/**
 * The shape of a commit's tree, built entry by entry from a git listing, answering one
 * question: does any symbolic link, resolved the way the operating system would once the
 * commit is checked out, lead outside the repository? Resolution goes through the other links
 * of the same tree (`a -> b/..` escapes when `b -> ..`, although `b/..` looks harmless), one
 * path component at a time, with each link resolved once (memoized), so the work is linear
 * in the size of the tree and its link targets.
 *
 * Paths and targets are git's bytes held one character per byte (latin1): two names that
 * differ only in invalid UTF-8 must stay two names.
 */

/** Linux gives up after 40 links in one lookup (ELOOP); a tree that needs more is refused. */
export const MAX_LINK_DEPTH = 40;

export type LinkProblem = { path: string; target: string; why: 'absolute' | 'escapes' | 'too-deep' };
export type ShapeProblem = { path: string; why: 'bad-name' | 'duplicate' | 'link-and-folder' };

interface Node {
  readonly parent: Node | null;
  children?: Map<string, Node>;
  /** Set for a link; `''` until its target is known. */
  link?: string;
  file?: true;
  /** A link's resolution once known: the folder it leads to, or why it fails. */
  resolved?: Node | Failure | typeof RESOLVING;
}

type Failure = 'absolute' | 'escapes' | 'too-deep';
const RESOLVING = Symbol('resolving');
const isFailure = (r: Node | Failure): r is Failure => typeof r === 'string';

export class TreeLinks {
  private readonly root: Node = { parent: null };
  private readonly links: Array<{ path: string; node: Node }> = [];

  /** Records one entry of the listing; returns why its path cannot be checked out safely, if it cannot. */
  addEntry(path: string, isLink: boolean): ShapeProblem | null {
    const names = path.split('/');
    let node = this.root;
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      if (name === '' || name === '.' || name === '..') return { path, why: 'bad-name' };
      if (node.link !== undefined || node.file) return { path, why: 'link-and-folder' };
      node.children ??= new Map();
      let next = node.children.get(name);
      const last = i === names.length - 1;
      if (!next) {
        next = { parent: node };
        node.children.set(name, next);
      } else if (last) {
        return { path, why: next.children ? 'link-and-folder' : 'duplicate' };
      }
      node = next;
    }
    if (isLink) {
      node.link = '';
      this.links.push({ path, node });
    } else node.file = true;
    return null;
  }

  get linkPaths(): readonly string[] {
    return this.links.map((l) => l.path);
  }

  /** Sets every link's target in listing order (`targets[i]` belongs to `linkPaths[i]`). */
  setTargets(targets: readonly string[]): void {
    this.links.forEach((l, i) => (l.node.link = targets[i] ?? ''));
  }

  /** The first link (in listing order) whose resolution leaves the repository, or null. */
  firstEscapingLink(): LinkProblem | null {
    for (const { path, node } of this.links) {
      const r = this.resolve(node, 0);
      if (isFailure(r)) return { path, target: node.link ?? '', why: r };
    }
    return null;
  }

  private resolve(link: Node, depth: number): Node | Failure {
    if (link.resolved === RESOLVING) return 'too-deep'; // a loop
    if (link.resolved) return link.resolved;
    if (depth >= MAX_LINK_DEPTH) return 'too-deep';
    link.resolved = RESOLVING;
    const result = this.walk(link.parent!, link.link ?? '', depth);
    link.resolved = result;
    return result;
  }

  /** Where `target` leads from folder `from`, component by component, as path lookup does. */
  private walk(from: Node, target: string, depth: number): Node | Failure {
    if (target.startsWith('/')) return 'absolute';
    let at = from;
    for (const name of target.split('/')) {
      if (name === '' || name === '.') continue;
      if (name === '..') {
        if (!at.parent) return 'escapes';
        at = at.parent;
        continue;
      }
      at.children ??= new Map();
      let next = at.children.get(name);
      if (!next) {
        // Not in the tree: lookup would stop here, but a later `..` is still judged lexically.
        next = { parent: at };
        at.children.set(name, next);
      }
      if (next.link !== undefined) {
        const r = this.resolve(next, depth + 1);
        if (isFailure(r)) return r;
        at = r;
      } else at = next;
    }
    return at;
  }
}
