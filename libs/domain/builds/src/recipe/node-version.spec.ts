import { describe, expect, it } from 'vitest';
import { selectNodeVersion } from './node-version';

describe('selectNodeVersion', () => {
  it('defaults to 24, the current LTS', () => {
    expect(selectNodeVersion({})).toEqual({ major: 24, source: 'default' });
  });

  it.each([
    ['>=18', 24],
    ['>=20 <23', 22],
    ['^20.11.0', 20],
    ['20.x', 20],
    ['22', 22],
    ['~22.3', 22],
    ['20 || 22', 22],
    ['*', 24],
    ['v20.11.1', 20],
  ])('engines.node %j builds on %i', (engines, major) => {
    expect(selectNodeVersion({ engines })).toMatchObject({ major, source: 'engines.node', requested: engines });
    expect(selectNodeVersion({ engines }).warning).toBeUndefined();
  });

  it.each([
    ['18.x', 20],
    ['16', 20],
    ['>=14 <19', 20],
    ['26', 24],
  ])('builds the unsupported %j on the nearest supported major (%i), with a warning', (engines, major) => {
    const choice = selectNodeVersion({ engines });
    expect(choice.major).toBe(major);
    expect(choice.warning).toBe(
      `engines.node asks for Node "${engines}", which Slipway does not build (supported: 24, 22, 20); building on Node ${major}, the nearest. Update engines.node to a supported major.`,
    );
  });

  it('warns about a request it cannot read and builds on the default', () => {
    expect(selectNodeVersion({ configured: 'hydrogen-ish' })).toMatchObject({ major: 24, source: 'build.node', warning: expect.stringMatching(/^build.node in slipway.yaml asks for Node "hydrogen-ish", which is not a version/) });
  });

  it('reads .nvmrc and .node-version as nvm does (v prefix, lts aliases, comments)', () => {
    expect(selectNodeVersion({ nvmrc: 'v22.11.0\n' })).toMatchObject({ major: 22, source: '.nvmrc' });
    expect(selectNodeVersion({ nvmrc: '# pinned\nlts/iron\n' })).toMatchObject({ major: 20, requested: 'lts/iron' });
    expect(selectNodeVersion({ nvmrc: 'lts/*' })).toMatchObject({ major: 24 });
    expect(selectNodeVersion({ nvmrc: 'node' })).toMatchObject({ major: 24 });
    expect(selectNodeVersion({ nodeVersionFile: '20.18.1' })).toMatchObject({ major: 20, source: '.node-version' });
  });

  it('takes build.node, then engines.node, then .nvmrc, then .node-version', () => {
    const all = { configured: '20', engines: '22.x', nvmrc: '24', nodeVersionFile: '20' };
    expect(selectNodeVersion(all)).toMatchObject({ major: 20, source: 'build.node' });
    expect(selectNodeVersion({ ...all, configured: undefined })).toMatchObject({ major: 22, source: 'engines.node' });
    expect(selectNodeVersion({ ...all, configured: undefined, engines: '  ' })).toMatchObject({ major: 24, source: '.nvmrc' });
    expect(selectNodeVersion({ nvmrc: '\n\n', nodeVersionFile: '22' })).toMatchObject({ major: 22, source: '.node-version' });
  });
});
