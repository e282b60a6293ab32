import { describe, expect, it } from 'vitest';
import { appHost, appHostName, isReservedHostLabel, platformHostsOf, reservedDomainReason } from './app-hosts';
import { hostPartSlugSchema } from './projects';

const platform = platformHostsOf({ APPS_DOMAIN: 'Apps.Example.com', PUBLIC_API_URL: 'https://slipway.example.com', PUBLIC_CONSOLE_URL: 'https://console.apps.example.com:8443' });

describe('generated host names', () => {
  it('puts production at <label> and other environments at <label>--<env>, lower-case', () => {
    expect(appHostName('shop', 'production')).toBe('shop');
    expect(appHostName('shop', 'staging')).toBe('shop--staging');
    expect(appHost(appHostName('shop', 'staging'), 'Apps.Example.com')).toBe('shop--staging.apps.example.com');
  });

  it('never gives two (label, environment) pairs one name, for every pair of the tricky alphabet', () => {
    // Every valid slug (no "--", no leading or trailing "-") of up to 5 characters over {a, b, -}:
    // enough to put hyphens at every boundary the old rule confused (shop + staging vs shop-staging).
    const parts = ['a', 'b', '-'];
    let words = [''];
    const all: string[] = [];
    for (let len = 1; len <= 5; len++) {
      words = words.flatMap((w) => parts.map((p) => w + p));
      all.push(...words);
    }
    const slugs = all.filter((s) => !s.includes('--') && !s.startsWith('-') && !s.endsWith('-'));
    const envs = [...slugs, 'production'];
    const owner = new Map<string, string>();
    let pairs = 0;
    for (const label of slugs) {
      for (const env of envs) {
        const name = appHostName(label, env);
        const who = `${label}/${env}`;
        expect(owner.get(name) ?? who, `${who} and ${owner.get(name)} share ${name}`).toBe(who);
        owner.set(name, who);
        pairs++;
      }
    }
    expect(pairs).toBeGreaterThan(2000);
  });

  it('keeps apart the pairs the old rule merged', () => {
    expect(appHostName('shop', 'staging')).not.toBe(appHostName('shop-staging', 'production'));
    expect(appHostName('a', 'b-c')).not.toBe(appHostName('a-b', 'c'));
  });

  it('refuses "--" in new project slugs and environment names', () => {
    expect(hostPartSlugSchema.safeParse('shop--staging').success).toBe(false);
    expect(hostPartSlugSchema.safeParse('shop-staging').success).toBe(true);
  });
});

describe("the platform's own names", () => {
  it('reserves the usual platform labels and the labels of its public hosts', () => {
    for (const label of ['api', 'www', 'console', 'localhost', 'slipway-gateway', 'wpad', 'slipway']) expect(isReservedHostLabel(label, platform), label).toBe(true);
    expect(isReservedHostLabel('shop', platform)).toBe(false);
    const own = platformHostsOf({ APPS_DOMAIN: 'example.com', PUBLIC_API_URL: 'https://control.example.com', PUBLIC_CONSOLE_URL: 'https://a.panel.example.com' });
    expect(isReservedHostLabel('control', own)).toBe(true); // control.example.com is the api
    expect(isReservedHostLabel('panel', own)).toBe(true); // an app at panel.example.com could set cookies for a.panel.example.com
    expect(isReservedHostLabel('a', own)).toBe(true);
    const ips = platformHostsOf({ APPS_DOMAIN: 'localhost', PUBLIC_API_URL: 'http://127.0.0.1:4000', PUBLIC_CONSOLE_URL: 'http://[::1]:3000' });
    expect(isReservedHostLabel('127', ips)).toBe(false);
  });

  it('refuses custom domains under APPS_DOMAIN, equal to or under a platform host, and localhost names', () => {
    expect(reservedDomainReason('shop.apps.example.com', platform)).toContain('apps.example.com');
    expect(reservedDomainReason('apps.example.com', platform)).toContain('apps.example.com');
    expect(reservedDomainReason('slipway.example.com', platform)).toContain('slipway.example.com');
    expect(reservedDomainReason('x.slipway.example.com', platform)).toContain('slipway.example.com');
    expect(reservedDomainReason('other.localhost', platform)).toContain('localhost');
    expect(reservedDomainReason('www.example.com', platform)).toBeNull();
    expect(reservedDomainReason('notslipway.example.com', platform)).toBeNull();
  });

  it("keeps tenants' custom domains off API_DOMAIN, where published APIs answer", () => {
    const withApis = platformHostsOf({ APPS_DOMAIN: 'apps.example.com', PUBLIC_API_URL: 'https://slipway.example.com', PUBLIC_CONSOLE_URL: 'https://console.example.com', API_DOMAIN: 'API.example.com.' });
    expect(reservedDomainReason('weather.api.example.com', withApis)).toContain('api.example.com');
    expect(reservedDomainReason('api.example.com', withApis)).not.toBeNull();
    expect(reservedDomainReason('weather.example.com', withApis)).toBeNull();
  });
});
