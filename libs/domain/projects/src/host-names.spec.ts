import { platformHostsOf } from '@slipway/contracts';
import { describe, expect, it } from 'vitest';
import { environmentHostCandidates, environmentNameTooLong, lastResortProjectLabel, projectLabelCandidates } from './host-names';

const platform = platformHostsOf({ APPS_DOMAIN: 'localhost', PUBLIC_API_URL: 'http://localhost:4000', PUBLIC_CONSOLE_URL: 'https://console.example.com' });
const fixed = () => 'f00d';

describe('project host labels', () => {
  it('tries the slug, then <slug>-<org>, then <slug>-<random>', () => {
    expect(projectLabelCandidates('shop', 'acme', platform, fixed)).toEqual(['shop', 'shop-acme', 'shop-f00d']);
  });

  it("skips the platform's names: a project called api, www or console gets another label", () => {
    expect(projectLabelCandidates('api', 'acme', platform, fixed)).toEqual(['api-acme', 'api-f00d']);
    expect(projectLabelCandidates('www', 'acme', platform, fixed)[0]).toBe('www-acme');
    expect(projectLabelCandidates('console', 'acme', platform, fixed)[0]).toBe('console-acme');
    expect(projectLabelCandidates('localhost', 'acme', platform, fixed)[0]).toBe('localhost-acme');
  });

  it('never puts "--" in a label or ends one with "-", and keeps labels to 40 characters', () => {
    for (const label of [...projectLabelCandidates('a'.repeat(39) + 'b', 'my--org', platform, fixed), lastResortProjectLabel('x'.repeat(40))]) {
      expect(label).not.toContain('--');
      expect(label).not.toMatch(/-$/);
      expect(label.length).toBeLessThanOrEqual(40);
    }
    expect(projectLabelCandidates('shop', 'my--org', platform, fixed)[1]).toBe('shop-my-org');
  });
});

describe('environment hosts', () => {
  it('follows the naming rule first, with a random fallback that is still an environment name', () => {
    expect(environmentHostCandidates('shop', 'staging', fixed)).toEqual(['shop--staging', 'shop--staging-f00d']);
  });

  it('refuses an environment name that would make a host label longer than 63 characters, saying how long it may be', () => {
    expect(environmentNameTooLong('a'.repeat(40), 'b'.repeat(21))).toBeNull();
    expect(environmentNameTooLong('a'.repeat(40), 'b'.repeat(22))).toContain('at most 21 characters');
  });
});
