// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { Options } from '@/entrypoints/options/Options';
import type { ApiErrorInfo } from '@/utils/api-error';
import { sendToBackground } from '@/utils/messaging';
import type { CredentialsInfo, ServiceState } from '@/utils/protocol';
import { DEFAULT_SETTINGS } from '@/utils/settings';
import { settingsItem } from '@/utils/storage';
import { useEnglishMessages } from './support/english-messages';
import { fakeHostAccess } from './support/host-access';

vi.mock('@/utils/messaging', () => ({ sendToBackground: vi.fn() }));

const REQUESTER = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
const POLICY_REQUESTER = '00000000-0000-4000-8000-000000000009';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbm5hIn0.c2lnbmF0dXJl';

interface Answers {
  info?: CredentialsInfo;
  saveOk?: boolean;
  test?: { ok: boolean; error?: ApiErrorInfo; totalConnections?: number };
  /** The service's state after the test; getState is refused without it. */
  state?: ServiceState;
}

function answer({ info = { mode: 'none' }, saveOk = true, test = { ok: true, totalConnections: 3 }, state }: Answers = {}) {
  vi.mocked(sendToBackground).mockImplementation((async (request: { type: string }) => {
    switch (request.type) {
      case 'getCredentialsInfo':
        return info;
      case 'saveCredentials':
        return saveOk
          ? { ok: true, info: { mode: 'token', subject: 'anna@acme.example', expiresAt: Date.now() + 3600_000 } }
          : { ok: false, error: { kind: 'unauthorized', message: 'bad token', status: 401 }, info: { mode: 'none' } };
      case 'testConnection':
        return test;
      case 'getState':
        if (state) return state;
        throw new Error('no state');
      case 'clearCache':
      case 'clearCredentials':
        return { ok: true };
      default:
        throw new Error(`unexpected ${request.type}`);
    }
  }) as typeof sendToBackground);
}

function sent(type: string) {
  return vi.mocked(sendToBackground).mock.calls.map(([request]) => request).filter((request) => request.type === type);
}

function field(name: string): HTMLInputElement {
  // Text and password fields alike; "Access token" also names a radio button.
  return screen.getByLabelText(name, { selector: 'input:not([type="radio"])' }) as HTMLInputElement;
}

function type(name: string, value: string) {
  fireEvent.input(field(name), { target: { value } });
}

function describedText(input: HTMLElement): string {
  return (input.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ');
}

async function renderOptions() {
  render(<Options />);
  await screen.findByRole('heading', { name: 'Connection' });
}

describe('options page', () => {
  let request: ReturnType<typeof vi.fn>;

  beforeEach(() => {
    fakeBrowser.reset();
    useEnglishMessages();
    vi.mocked(sendToBackground).mockReset();
    request = vi.fn(async () => true);
    vi.spyOn(fakeBrowser.permissions, 'request').mockImplementation(request as never);
    fakeHostAccess();
  });
  afterEach(cleanup);

  it('says so when the stored settings were unreadable and defaults stand in', async () => {
    answer();
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await fakeBrowser.storage.local.set({ settings: { baseUrl: 42, cacheTtlSeconds: 'soon' }, settings$: { v: 2 } });
    await renderOptions();
    expect(screen.getByRole('alert').textContent).toMatch(/could not be read/);
    expect(field('API base URL').value).toBe(DEFAULT_SETTINGS.baseUrl);
  });

  it('marks every invalid field with its message and saves nothing', async () => {
    answer();
    await renderOptions();
    type('Access token', 'not-a-token');
    type('API base URL', 'ftp://api.example.com');
    type('Requester organization ID', '1234');
    type('Target organization ID', 'acme');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));

    for (const [name, message] of [
      ['Access token', /three parts/],
      ['API base URL', /https:\/\//],
      ['Requester organization ID', /organization ID like/],
      ['Target organization ID', /organization ID like/],
    ] as const) {
      await waitFor(() => expect(field(name).getAttribute('aria-invalid')).toBe('true'));
      expect(describedText(field(name))).toMatch(message);
    }
    expect(await settingsItem.getValue()).toEqual(DEFAULT_SETTINGS);
    expect(await fakeBrowser.storage.local.get('settings')).toEqual({});
    expect(sent('saveCredentials')).toEqual([]);
    expect(request).not.toHaveBeenCalled();
  });

  it('saves settings and credentials together when everything is valid', async () => {
    answer();
    await renderOptions();
    type('Access token', `Bearer ${JWT}`);
    type('Requester organization ID', REQUESTER.toUpperCase());
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));

    await screen.findByText('Saved.');
    expect(await settingsItem.getValue()).toEqual({ ...DEFAULT_SETTINGS, requesterOrgId: REQUESTER });
    expect(sent('saveCredentials')).toEqual([{ type: 'saveCredentials', auth: { mode: 'token', token: JWT } }]);
    expect(request).not.toHaveBeenCalled();
    expect(screen.getByText('Token for anna@acme.example.')).toBeTruthy();
    expect(field('Access token').value).toBe('');
  });

  it('puts the settings back when the background refuses the credentials', async () => {
    answer({ saveOk: false });
    await renderOptions();
    type('Access token', JWT);
    type('Requester organization ID', REQUESTER);
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(field('Access token').getAttribute('aria-invalid')).toBe('true'));
    expect(await settingsItem.getValue()).toEqual(DEFAULT_SETTINGS);
    expect(screen.getByRole('alert').textContent).toMatch(/HTTP 401/);
  });

  it('asks for the host permission of another API origin, and saves nothing when refused', async () => {
    answer();
    request.mockResolvedValue(false);
    await renderOptions();
    type('Access token', JWT);
    type('Requester organization ID', REQUESTER);
    type('API base URL', 'http://localhost:8787/v1-beta');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));

    expect(request).toHaveBeenCalledWith({ origins: ['http://localhost:8787/*'] });
    await waitFor(() => expect(field('API base URL').getAttribute('aria-invalid')).toBe('true'));
    expect(describedText(field('API base URL'))).toMatch(/did not grant access/);
    expect(await fakeBrowser.storage.local.get('settings')).toEqual({});
    expect(sent('saveCredentials')).toEqual([]);
  });

  it('shows who a stored token is for and when it expires', async () => {
    answer({ info: { mode: 'token', subject: 'anna@acme.example', expiresAt: Date.now() - 120_000 } });
    await renderOptions();
    expect(screen.getByText('Token for anna@acme.example.')).toBeTruthy();
    expect(screen.getByText(/^Expired .*2 minutes ago/)).toBeTruthy();
  });

  it('names the exact reason a connection test failed', async () => {
    answer({ test: { ok: false, error: { kind: 'unauthorized', message: 'x', status: 401 } } });
    await renderOptions();
    fireEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    expect(await screen.findByText(/^Unauthorized: .*\(HTTP 401\)$/)).toBeTruthy();
  });

  it('says what a refused requester means, what to change and that nothing is tried until then', async () => {
    const error: ApiErrorInfo = { kind: 'forbidden', message: 'x', status: 403, code: 'requester_organization_mismatch' };
    answer({ test: { ok: false, error }, state: { kind: 'forbidden', authMode: 'client', error } });
    await renderOptions();
    fireEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    const text = (await screen.findByTestId('test-result')).textContent;
    await waitFor(() => expect(screen.getByTestId('test-result').textContent).toMatch(/until you save new settings or credentials\.$/));
    expect(text ?? '').toMatch(/^Forbidden: the requester organization ID does not belong to these credentials\. Correct the Requester organization ID/);
  });

  it('says when the extension tries again by itself after a failed test', async () => {
    const error: ApiErrorInfo = { kind: 'unavailable', message: 'x', status: 503 };
    answer({ test: { ok: false, error }, state: { kind: 'unavailable', authMode: 'token', error, retryAt: Date.now() + 8000 } });
    await renderOptions();
    fireEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    await waitFor(() => expect(screen.getByTestId('test-result').textContent).toMatch(/^Unavailable: .*\(HTTP 503\) The extension tries again at \d/));
  });

  it('reports a working connection with the number of connections', async () => {
    answer();
    await renderOptions();
    fireEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    expect(await screen.findByText(/this account sees 3 connections/)).toBeTruthy();
  });

  it('locks the fields set by policy, shows their values and follows policy changes', async () => {
    answer();
    await settingsItem.setValue({ ...DEFAULT_SETTINGS, requesterOrgId: REQUESTER });
    await fakeBrowser.storage.managed.set({ baseUrl: 'https://api.acme.example/v1', requesterOrgId: POLICY_REQUESTER });
    await renderOptions();

    const requester = field('Requester organization ID');
    expect(requester.disabled).toBe(true);
    expect(requester.value).toBe(POLICY_REQUESTER);
    expect(describedText(requester)).toMatch('Set by your organization');
    expect(field('API base URL').disabled).toBe(true);
    expect(field('Target organization ID').disabled).toBe(false);

    const hubspot = screen.getByRole('switch', { name: 'HubSpot' }) as HTMLInputElement;
    expect(hubspot.disabled).toBe(false);
    expect(hubspot.getAttribute('aria-describedby')).toBeNull();

    await fakeBrowser.storage.managed.set({ requesterOrgId: REQUESTER, disabledBuiltinSites: ['hubspot'] });
    await waitFor(() => expect(field('Requester organization ID').value).toBe(REQUESTER));
    await waitFor(() => expect((screen.getByRole('switch', { name: 'HubSpot' }) as HTMLInputElement).disabled).toBe(true));
    expect(describedText(screen.getByRole('switch', { name: 'HubSpot' }) as HTMLInputElement)).toMatch('Set by your organization');
  });

  it('names the policy values it had to ignore', async () => {
    answer();
    await fakeBrowser.storage.managed.set({ baseUrl: 'not a url', hoverDelayMs: 3 });
    await renderOptions();
    expect(screen.getByText(/were ignored: API base URL\.$/)).toBeTruthy();
    expect(field('API base URL').disabled).toBe(false);
    expect((screen.getByRole('spinbutton', { name: 'Hover delay (milliseconds)' }) as HTMLInputElement).disabled).toBe(true);
  });

  it('adds a custom site after the browser grants it, and marks a bad pattern', async () => {
    answer();
    await renderOptions();
    type('Site address pattern', 'crm.example.com');
    fireEvent.click(screen.getByRole('button', { name: 'Add site' }));
    await waitFor(() => expect(field('Site address pattern').getAttribute('aria-invalid')).toBe('true'));
    expect(request).not.toHaveBeenCalled();

    type('Site address pattern', 'https://crm.example.com/accounts/*');
    fireEvent.click(screen.getByRole('button', { name: 'Add site' }));
    expect(request).toHaveBeenCalledWith({ origins: ['https://crm.example.com/*'] });
    await waitFor(async () =>
      expect((await settingsItem.getValue()).customSites).toEqual(['https://crm.example.com/accounts/*']),
    );
  });

  it('rejects an out-of-range hover delay at the field and keeps the stored one', async () => {
    answer();
    await renderOptions();
    const delay = screen.getByRole('spinbutton', { name: 'Hover delay (milliseconds)' });
    fireEvent.input(delay, { target: { value: '9000' } });
    fireEvent.change(delay, { target: { value: '9000' } });
    await waitFor(() => expect(delay.getAttribute('aria-invalid')).toBe('true'));
    expect(await fakeBrowser.storage.local.get('settings')).toEqual({});

    fireEvent.input(delay, { target: { value: '150' } });
    fireEvent.change(delay, { target: { value: '150' } });
    await waitFor(async () => expect((await settingsItem.getValue()).hoverDelayMs).toBe(150));
  });
});
