import { describe, expect, it } from 'vitest';
import { setHostEnabled, switchableHost } from '@/utils/disabled-hosts';

describe('switchableHost', () => {
  it('gives the host of web pages only', () => {
    expect(switchableHost('https://acme.my.salesforce.com/lightning/r/Account/1/view')).toBe('acme.my.salesforce.com');
    expect(switchableHost('chrome://extensions/')).toBeUndefined();
    expect(switchableHost(undefined)).toBeUndefined();
    expect(switchableHost('not a url')).toBeUndefined();
  });
});

describe('setHostEnabled', () => {
  it('adds a host once when switched off and removes it when switched on', () => {
    const off = setHostEnabled(['a.example.com'], 'b.example.com', false);
    expect(off).toEqual(['a.example.com', 'b.example.com']);
    expect(setHostEnabled(off, 'b.example.com', false)).toEqual(off);
    expect(setHostEnabled(off, 'b.example.com', true)).toEqual(['a.example.com']);
  });
});
