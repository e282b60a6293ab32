import type Docker from 'dockerode';
import type { Config } from '@slipway/config';
import { dockerMessage, dockerStatus } from './docker-internals';
import { LABELS } from './labels';

export type BuildStepLimits = Pick<Config, 'BUILD_PIDS_LIMIT' | 'BUILD_DISK_MB'>;

const MIB = 1024 * 1024;
const POLL_MS = 1_000;
/** When a step writes fast, the next look comes sooner (never sooner than this). */
const FASTEST_POLL_MS = 100;
const FIRST_POLL_MS = 200;
const GONE_WAIT_MS = 10_000;

interface Watched {
  /** What the build had written at the last look at this step, and when. */
  bytes: number;
  at: number;
}

/**
 * Enforces what the classic builder's API cannot set on build-step containers: a process limit
 * (`ContainerUpdate` with BUILD_PIDS_LIMIT as soon as the engine announces the step) and a
 * disk limit: the running step's size (inspect with size, about once a second, sooner while it
 * grows fast) counts what it writes (SizeRw) and, through the image it runs on (SizeRootFs),
 * what the build's earlier steps wrote; together they may reach BUILD_DISK_MB. Over it,
 * `onExceeded` is called once with the message for the user; the caller cancels the build.
 * A step that writes and ends between two looks is counted by the next step, or not at all if
 * it is the last one: measuring bounds the overshoot to about one look's worth of writing.
 *
 * The announcement (` ---> Running in <id>`) is text a step can print too, so a container is
 * adopted only if it runs on this build's network and is not one of Slipway's own: a forged id
 * at worst limits or measures another build's step (and can only fail this build), and never
 * hides the real step, which is watched as well.
 */
export class BuildStepGuard {
  private readonly watched = new Map<string, Watched>();
  /** Size of the image the build's first measured step ran on: what the build started from. */
  private baseline: number | undefined;
  private timer: NodeJS.Timeout | null = null;
  private polling = false;
  private stopped = false;

  constructor(
    private readonly docker: Docker,
    private readonly network: string,
    private readonly limits: BuildStepLimits,
    private readonly onExceeded: (message: string) => void,
  ) {}

  /** A step container the build output announced. */
  announce(id: string): void {
    void this.adopt(id).catch((err: unknown) => this.fail(`Slipway could not apply the build limits to a build step (${dockerMessage(err)}); the build was stopped.`));
  }

  /** Stops looking; after a cancelled build, waits (bounded) until the engine removed its step containers. */
  async stop(options: { awaitRemoval: boolean }): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!options.awaitRemoval) return;
    const until = Date.now() + GONE_WAIT_MS;
    for (const id of this.watched.keys()) {
      while (Date.now() < until && (await this.exists(id))) await new Promise((r) => setTimeout(r, 200));
    }
  }

  private async adopt(id: string): Promise<void> {
    const container = this.docker.getContainer(id);
    let info: Docker.ContainerInspectInfo;
    try {
      info = await container.inspect();
    } catch (err) {
      if (dockerStatus(err) === 404) return; // ended already, or never was
      throw err;
    }
    if (info.HostConfig.NetworkMode !== this.network || info.Config.Labels?.[LABELS.managed]) return; // not a step of a build
    // What the first step runs on is where the build starts, even if that step ends before a look.
    if (this.baseline === undefined) {
      const image = await this.docker.getImage(info.Image).inspect().catch(() => null);
      if (image) this.baseline = Math.min(this.baseline ?? image.Size, image.Size);
    }
    try {
      await container.update({ PidsLimit: this.limits.BUILD_PIDS_LIMIT });
    } catch (err) {
      // A step that ended before it could be limited needs no limit; one still running does.
      if (/not running|stopped container/i.test(dockerMessage(err))) return;
      const now = await container.inspect().catch(() => null);
      if (!now?.State.Running) return;
      throw err;
    }
    if (this.stopped || this.watched.has(info.Id)) return;
    this.watched.set(info.Id, { bytes: 0, at: Date.now() });
    this.schedule(FIRST_POLL_MS);
  }

  private schedule(ms: number): void {
    if (this.stopped || this.timer || this.polling) return;
    this.timer = setTimeout(() => void this.poll(), ms);
  }

  private async poll(): Promise<void> {
    this.timer = null;
    this.polling = true;
    const limit = this.limits.BUILD_DISK_MB * MIB;
    let next = POLL_MS;
    let written = 0;
    try {
      for (const [id, last] of this.watched) {
        // `size` makes the engine measure the container (SizeRw, SizeRootFs); the types omit all three.
        const info = (await this.docker
          .getContainer(id)
          .inspect({ size: true } as Docker.ContainerInspectOptions)
          .catch((err: unknown) => (dockerStatus(err) === 404 ? null : Promise.reject(err)))) as (Docker.ContainerInspectInfo & { SizeRw?: number; SizeRootFs?: number }) | null;
        if (!info?.State.Running) {
          this.watched.delete(id); // the step ended; its layer is in the image the next step runs on
          continue;
        }
        // The step's whole filesystem minus what it runs on is what it wrote; what it runs on,
        // minus the image of the first step, is what the build's earlier steps wrote.
        const rootfs = info.SizeRootFs ?? 0;
        const image = rootfs - (info.SizeRw ?? 0);
        this.baseline = Math.min(this.baseline ?? image, image);
        const bytes = rootfs - this.baseline;
        written = Math.max(written, bytes);
        const now = Date.now();
        const rate = (bytes - last.bytes) / Math.max(1, now - last.at); // bytes per ms
        this.watched.set(id, { bytes, at: now });
        if (rate > 0) next = Math.min(next, Math.max(FASTEST_POLL_MS, (limit - bytes) / rate / 2));
      }
    } catch (err) {
      this.fail(`Slipway could not measure what a build step wrote (${dockerMessage(err)}); the build was stopped.`);
      return;
    } finally {
      this.polling = false;
    }
    if (written > limit) {
      const mb = this.limits.BUILD_DISK_MB;
      this.fail(
        `The build wrote more than ${mb} MB to its filesystem, the most one build may write (BUILD_DISK_MB=${mb}); it was stopped. Write less (remove what a step downloads or unpacks in that same step), or raise BUILD_DISK_MB.`,
      );
      return;
    }
    if (this.watched.size) this.schedule(next);
  }

  private fail(message: string): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.onExceeded(message);
  }

  private async exists(id: string): Promise<boolean> {
    try {
      await this.docker.getContainer(id).inspect();
      return true;
    } catch (err) {
      return dockerStatus(err) !== 404;
    }
  }
}
