import { AppError } from '@slipway/errors';

/**
 * The engine does not answer (socket missing, connection refused, timeout). Retryable: a
 * job that meets it should run again once dockerd is back.
 */
export class DockerUnavailableError extends AppError {
  constructor(address: string, cause: string) {
    super(
      'SERVICE_UNAVAILABLE',
      `Docker engine unreachable at ${address} (${cause}). Start dockerd or set DOCKER_HOST to a Docker engine that answers.`,
      undefined,
      {
        retryable: true,
      },
    );
    this.name = 'DockerUnavailableError';
  }
}

/** Docker answered with an error we do not expect (e.g. removing an image a container uses). */
export class DockerOperationError extends AppError {
  constructor(
    operation: string,
    readonly statusCode: number | undefined,
    dockerMessage: string,
  ) {
    super('INTERNAL', `Docker ${operation} failed: ${dockerMessage}`, undefined, {
      retryable: statusCode === undefined || statusCode >= 500,
    });
    this.name = 'DockerOperationError';
  }
}

/**
 * The build itself failed; `message` is docker's error line (e.g. "The command '/bin/sh -c
 * npm ci' returned a non-zero code: 1"). A build outcome to record, not a fault: permanent.
 */
export class BuildFailedError extends Error {
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = 'BuildFailedError';
  }
}

/** The build was aborted through its AbortSignal (cancel or timeout). */
export class BuildCancelledError extends Error {
  readonly retryable = false;
  constructor(readonly reason: 'cancelled' | 'timeout') {
    super(reason === 'timeout' ? 'The build timed out and was cancelled.' : 'The build was cancelled.');
    this.name = 'BuildCancelledError';
  }
}

/** Docker created the container but could not start it (bad command, bad port…); it has been removed. */
export class ContainerStartError extends Error {
  readonly retryable = false;
  constructor(
    readonly containerName: string,
    dockerMessage: string,
  ) {
    super(`Container ${containerName} could not start: ${dockerMessage}`);
    this.name = 'ContainerStartError';
  }
}
