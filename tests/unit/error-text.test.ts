import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ERROR_KINDS } from '@/utils/api-error';
import { connectionTestText, errorDetailText, errorText } from '@/utils/error-text';
import { useEnglishMessages } from './support/english-messages';

describe('error texts', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    useEnglishMessages();
  });

  it('names every error kind in words, each differently', () => {
    const texts = ERROR_KINDS.map(errorText);
    expect(texts.every((text) => text.length > 10)).toBe(true);
    expect(new Set(texts).size).toBe(ERROR_KINDS.length);
  });

  it('adds the HTTP status and the API details', () => {
    expect(
      errorDetailText({ kind: 'invalid_request', message: 'x', status: 422, details: ['host_org_id: bad'] }),
    ).toBe('MyCreditApp rejected the request as invalid. (HTTP 422) host_org_id: bad');
  });

  it('names the exact reason a connection test failed', () => {
    expect(connectionTestText({ kind: 'unauthorized', message: 'x', status: 401 })).toMatch(/^Unauthorized: .*\(HTTP 401\)$/);
    expect(connectionTestText({ kind: 'forbidden', message: 'x' })).toMatch(/^Forbidden/);
    expect(connectionTestText({ kind: 'network', message: 'x' })).toMatch(/^Unreachable/);
    expect(connectionTestText({ kind: 'invalid_response', message: 'x' })).toMatch(/^Wrong base URL/);
  });
});
