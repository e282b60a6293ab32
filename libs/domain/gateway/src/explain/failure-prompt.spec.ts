import { describe, expect, it } from 'vitest';
import {
  MAX_LINE_CHARS,
  MAX_LOG_CHARS,
  buildFailurePrompt,
  deploymentFailurePrompt,
  type BuildFailure,
  type DeploymentFailure,
} from './failure-prompt';

const build: BuildFailure = {
  project: 'Chatbot',
  environment: 'production',
  branch: 'main',
  commitSha: 'abcdef0123456789',
  commitMessage: 'Add the chat page\n\nLong body that stays out.',
  failureReason: 'npm run build exited with code 1.',
  logTail: ['> next build', "Type error: Property 'foo' does not exist on type 'Bar'."],
};

const deployment: DeploymentFailure = {
  project: 'Chatbot',
  environment: 'production',
  kind: 'DEPLOY',
  releaseNumber: 7,
  commitSha: 'abcdef0123456789',
  commitMessage: 'Add the chat page',
  failureReason: 'The new replica did not pass its health check.',
  timeline: [
    { at: new Date('2026-11-30T10:00:01Z'), step: 'start', level: 'info', message: 'Starting 1 replica of v7' },
    { at: new Date('2026-11-30T10:00:31Z'), step: 'health', level: 'error', message: 'GET /healthz timed out' },
  ],
  failedReplicaLogs: 'listening on 3000\nError: cannot reach the database at db:5432\n',
};

describe('buildFailurePrompt', () => {
  it('names what failed and where, the recorded reason, and the log tail inside log markers', () => {
    const prompt = buildFailurePrompt(build);
    expect(prompt).toContain(
      'A build of project "Chatbot" for environment "production" failed (branch main, commit abcdef0: Add the chat page)',
    );
    expect(prompt).not.toContain('Long body');
    expect(prompt).toContain('Reason Slipway recorded: npm run build exited with code 1.');
    expect(prompt).toContain("<log>\n> next build\nType error: Property 'foo' does not exist on type 'Bar'.\n</log>");
  });

  it('says so when the build wrote nothing', () => {
    expect(buildFailurePrompt({ ...build, logTail: [], failureReason: null })).toContain(
      'Reason Slipway recorded: none\n\nThe build wrote no log lines.',
    );
  });

  it('keeps the newest lines within the size bound, clips long lines and says how many were left out', () => {
    const lines = Array.from({ length: 150 }, (_, i) => `line ${i} ${'x'.repeat(300)}`);
    lines[149] = `last ${'y'.repeat(2_000)}`;
    const prompt = buildFailurePrompt({ ...build, logTail: lines });
    const log = prompt.slice(prompt.indexOf('<log>'));
    expect(log.length).toBeLessThan(MAX_LOG_CHARS + 200);
    expect(log).toMatch(/\[\d+ earlier line\(s\) omitted\]/);
    expect(log).not.toContain('line 0 ');
    expect(log).toContain('line 148 ');
    expect(log).toContain(`last ${'y'.repeat(MAX_LINE_CHARS - 5)}…\n</log>`);
  });

  it('masks gateway keys an app printed, in the log and the reason', () => {
    const prompt = buildFailurePrompt({
      ...build,
      failureReason: 'bad key sk-slw-AbC123xyz',
      logTail: ['ANTHROPIC_API_KEY=sk-slw-9f8e7d6c5b4a rejected'],
    });
    expect(prompt).not.toMatch(/sk-slw-[0-9A-Za-z]/);
    expect(prompt).toContain('ANTHROPIC_API_KEY=sk-slw-[redacted] rejected');
  });
});

describe('deploymentFailurePrompt', () => {
  it('names the release, the timeline with levels, and the failing container’s last lines', () => {
    const prompt = deploymentFailurePrompt(deployment);
    expect(prompt).toContain(
      'A deployment of release v7 of project "Chatbot" to environment "production" failed (commit abcdef0: Add the chat page)',
    );
    expect(prompt).toContain('Reason Slipway recorded: The new replica did not pass its health check.');
    expect(prompt).toContain('10:00:01 start: Starting 1 replica of v7\n10:00:31 health [error]: GET /healthz timed out');
    expect(prompt).toContain('<log>\nlistening on 3000\nError: cannot reach the database at db:5432\n</log>');
  });

  it('words a rollback as one and says when nothing was captured', () => {
    const prompt = deploymentFailurePrompt({ ...deployment, kind: 'ROLLBACK', timeline: [], failedReplicaLogs: null });
    expect(prompt).toMatch(/^A rollback of release v7/);
    expect(prompt).toContain('The deployment recorded no steps.');
    expect(prompt).toContain('No container output was captured.');
  });
});
