import { describe, expect, it } from 'vitest';
import schema from '../../public/managed-schema.json';
import { applyPolicy, parsePolicy, POLICY_FIELDS } from '@/utils/policy';
import { DEFAULT_SETTINGS, type Settings } from '@/utils/settings';

const REQUESTER = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
const OWN: Settings = {
  ...DEFAULT_SETTINGS,
  requesterOrgId: '00000000-0000-4000-8000-000000000001',
  targetOrgId: '00000000-0000-4000-8000-000000000002',
  customSites: ['https://mine.example.com/*'],
  disabledHosts: ['news.example.com'],
};

describe('parsePolicy', () => {
  it('locks every valid field present and only those', () => {
    const policy = parsePolicy({ baseUrl: 'https://api.example.com/v1/', requesterOrgId: REQUESTER.toUpperCase() });
    expect(policy.locked).toEqual(['baseUrl', 'requesterOrgId']);
    expect(policy.values).toEqual({ baseUrl: 'https://api.example.com/v1', requesterOrgId: REQUESTER });
  });

  it('ignores an invalid value without voiding the rest', () => {
    const policy = parsePolicy({ baseUrl: 'not a url', badgeLinks: false, hoverDelayMs: 99_999 });
    expect(policy.locked).toEqual(['badgeLinks']);
    expect(policy.invalid).toEqual(['baseUrl', 'hoverDelayMs']);
  });

  it('locks an empty target as "the requester"', () => {
    const policy = parsePolicy({ targetOrgId: '' });
    expect(policy.locked).toEqual(['targetOrgId']);
    expect(applyPolicy(OWN, policy).targetOrgId).toBeUndefined();
  });

  it.each([undefined, null, 'text', 42])('reads %s as no policy', (raw) => {
    expect(parsePolicy(raw).locked).toEqual([]);
  });

  it('never takes settings the policy may not set', () => {
    const policy = parsePolicy({ disabledHosts: ['x.example.com'], clientSecret: 's3cret' });
    expect(policy.locked).toEqual([]);
    expect(applyPolicy(OWN, policy)).toEqual(OWN);
  });
});

describe('applyPolicy', () => {
  it('puts locked values over the user settings and keeps the rest', () => {
    const policy = parsePolicy({ requesterOrgId: REQUESTER, customSites: ['https://crm.example.com/*'] });
    expect(applyPolicy(OWN, policy)).toEqual({
      ...OWN,
      requesterOrgId: REQUESTER,
      customSites: ['https://crm.example.com/*'],
    });
  });

  it('changes nothing without a policy', () => {
    expect(applyPolicy(OWN, parsePolicy({}))).toEqual(OWN);
  });
});

describe('managed-schema.json', () => {
  it('offers exactly the fields the extension reads from policy', () => {
    expect(Object.keys(schema.properties).sort()).toEqual([...POLICY_FIELDS].sort());
    expect(schema.type).toBe('object');
  });
});
