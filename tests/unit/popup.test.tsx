// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { sendToBackground } from '@/utils/messaging';
import type { HostConnection } from '@/utils/api-schemas';
import type { LookupResult, ServiceState } from '@/utils/protocol';
import { settingsItem } from '@/utils/storage';
import { recentLookupsItem } from '@/utils/recent-lookups';
import { Popup } from '@/entrypoints/popup/Popup';
import { useEnglishMessages } from './support/english-messages';
import { fakeHostAccess } from './support/host-access';

vi.mock('@/utils/messaging', () => ({ sendToBackground: vi.fn() }));
// The card is H4's component with its own tests; here it only has to receive the right answer.
vi.mock('@/components/ConnectionCard', () => ({
  ConnectionCard: (props: { id: string; result?: LookupResult }) => (
    <article data-testid="card" data-id={props.id} data-status={props.result?.status}>
      {props.result && 'connection' in props.result ? props.result.connection.host_name : ''}
    </article>
  ),
}));

const ID = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
const OTHER = '00000000-0000-4000-8000-000000000002';
const READY: ServiceState = { kind: 'ready', authMode: 'token', tokenExpiresAt: Date.now() + 3600_000 };
const CONNECTION: HostConnection = {
  host_organization_id: ID,
  guest_organization_id: OTHER,
  host_name: 'Acme Bank',
  host_email: 'ops@acme.example',
  owner_email: 'owner@acme.example',
  status: 'connected',
  archived: false,
  created_at: '2025-01-01T00:00:00.000Z',
  updated_at: '2025-01-02T00:00:00.000Z',
  archived_at: null,
  active_action_type: null,
  active_action_updated_at: null,
};
const FOUND: LookupResult = { status: 'connected', connection: CONNECTION, fetchedAt: 1, stale: false };

interface Answers {
  state?: ServiceState;
  results?: Record<string, LookupResult>;
  entries?: { id: string; frameId: number; result: LookupResult }[];
}

function answer({ state = READY, results = {}, entries = [] }: Answers = {}) {
  vi.mocked(sendToBackground).mockImplementation((async (request: { type: string; id?: string }) => {
    switch (request.type) {
      case 'getState':
        return state;
      case 'lookupOne':
        return { state, result: results[request.id ?? ''] ?? { status: 'not_connected', fetchedAt: 1, stale: false } };
      case 'getTabIds':
        return { entries };
      case 'revealId':
        return { ok: true };
      case 'openOptions':
        return { ok: true };
      default:
        throw new Error(`unexpected ${request.type}`);
    }
  }) as typeof sendToBackground);
}

function sent(type: string) {
  return vi.mocked(sendToBackground).mock.calls.map(([request]) => request).filter((request) => request.type === type);
}

function lookUp(text: string) {
  const field = screen.getByLabelText('Organization ID');
  fireEvent.input(field, { target: { value: text } });
  fireEvent.submit(field.closest('form')!);
}

describe('popup', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    useEnglishMessages();
    fakeHostAccess();
    vi.mocked(sendToBackground).mockReset();
    vi.spyOn(fakeBrowser.tabs, 'query').mockResolvedValue([
      { id: 5, url: 'https://acme.my.salesforce.com/lightning/r/Account/1/view' },
    ] as never);
    vi.spyOn(window, 'close').mockImplementation(() => undefined);
  });
  afterEach(cleanup);

  it('looks up the ID found in pasted text and shows the card', async () => {
    answer({ results: { [ID]: FOUND } });
    render(<Popup hash="" />);
    lookUp(`https://crm.example.com/org/{${ID.toUpperCase()}}`);
    const card = await screen.findByTestId('card');
    expect(card.dataset.id).toBe(ID);
    expect(card.dataset.status).toBe('connected');
    expect(card.textContent).toBe('Acme Bank');
    expect(sent('lookupOne')).toEqual([{ type: 'lookupOne', id: ID }]);
  });

  it('shows an ID the API does not know as not connected', async () => {
    answer();
    render(<Popup hash="" />);
    lookUp(ID);
    expect((await screen.findByTestId('card')).dataset.status).toBe('not_connected');
  });

  it('says so at the field when the text holds no ID, and asks nothing', async () => {
    answer();
    render(<Popup hash="" />);
    lookUp('ID: 3f2504e0-4f89-11d3');
    const field = screen.getByLabelText('Organization ID');
    await waitFor(() => expect(field.getAttribute('aria-invalid')).toBe('true'));
    const message = document.getElementById(field.getAttribute('aria-describedby')!);
    expect(message?.textContent).toMatch(/No organization ID found/);
    expect(sent('lookupOne')).toEqual([]);
  });

  it('says the lookup failed when the background cannot answer', async () => {
    answer();
    const answered = vi.mocked(sendToBackground).getMockImplementation()!;
    vi.mocked(sendToBackground).mockImplementation(((request: { type: string }) =>
      request.type === 'lookupOne' ? Promise.reject(new Error('worker gone')) : answered(request as never)) as typeof sendToBackground);
    render(<Popup hash="" />);
    lookUp(ID);
    expect((await screen.findByRole('alert')).textContent).toMatch(/lookup failed/);
    expect(screen.queryByTestId('card')).toBeNull();
  });

  it('shows a banner with the way to the settings when the token has expired', async () => {
    answer({ state: { kind: 'unauthorized', authMode: 'token', tokenExpiresAt: Date.now() - 60_000 } });
    render(<Popup hash="" />);
    expect(await screen.findByText(/Your access token has expired/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Open settings' }));
    await waitFor(() => expect(sent('openOptions')).toHaveLength(1));
  });

  it('says once what keeps every lookup from working, what to change, and offers the settings', async () => {
    answer({
      state: { kind: 'forbidden', authMode: 'client', error: { kind: 'forbidden', message: '403', status: 403, code: 'requester_organization_mismatch' } },
    });
    render(<Popup hash="" />);
    const banner = await screen.findByRole('status');
    expect(banner.textContent).toMatch(/requester organization ID does not belong to these credentials/);
    expect(banner.textContent).toMatch(/Correct the Requester organization ID in the settings/);
    expect(banner.textContent).toMatch(/until you save new settings or credentials/);
    expect(screen.getByRole('button', { name: 'Open settings' })).toBeTruthy();
  });

  it('during an outage says when the extension tries again, with nothing for the user to change', async () => {
    answer({ state: { kind: 'unavailable', authMode: 'token', error: { kind: 'unavailable', message: '503', status: 503 }, retryAt: Date.now() + 8000 } });
    render(<Popup hash="" />);
    const banner = await screen.findByRole('status');
    expect(banner.textContent).toMatch(/not available right now/);
    expect(banner.textContent).toMatch(/The extension tries again at \d/);
    expect(screen.queryByRole('button', { name: 'Open settings' })).toBeNull();
  });

  it('says when lookups resume after the API asked to slow down', async () => {
    answer({ state: { kind: 'rate_limited', authMode: 'token', retryAt: Date.now() + 60_000 } });
    render(<Popup hash="" />);
    expect((await screen.findByRole('status')).textContent).toMatch(/slow down.*Lookups resume at \d/);
  });

  it('shows no banner when everything is ready', async () => {
    answer();
    render(<Popup hash="" />);
    await waitFor(() => expect(sent('getState')).toHaveLength(1));
    expect(screen.queryByRole('button', { name: 'Open settings' })).toBeNull();
  });

  it('lists the IDs on the page with their statuses and reveals the one chosen', async () => {
    answer({
      entries: [
        { id: ID, frameId: 3, result: FOUND },
        { id: OTHER, frameId: 0, result: { status: 'not_connected', fetchedAt: 1, stale: false } },
        { id: ID, frameId: 0, result: FOUND },
      ],
    });
    render(<Popup hash="" />);
    const acme = await screen.findByRole('button', { name: /Acme Bank/ });
    expect(acme.textContent).toContain('Connected');
    expect(screen.getByRole('button', { name: new RegExp(OTHER) }).textContent).toContain('Not connected');
    expect(screen.getAllByRole('button', { name: new RegExp(ID) })).toHaveLength(1);
    fireEvent.click(acme);
    await waitFor(() => expect(sent('revealId')).toEqual([{ type: 'revealId', tabId: 5, frameId: 3, id: ID }]));
  });

  it('switches badges off for the current site', async () => {
    answer();
    render(<Popup hash="" />);
    const toggle = await screen.findByRole('switch', { name: 'Show badges on this site' });
    await waitFor(() => expect((toggle as HTMLInputElement).checked).toBe(true));
    fireEvent.click(toggle);
    await waitFor(async () => expect((await settingsItem.getValue()).disabledHosts).toEqual(['acme.my.salesforce.com']));
  });

  it('on a site the badges do not run on, says how to add it instead of offering the switch', async () => {
    answer();
    vi.mocked(fakeBrowser.tabs.query).mockResolvedValue([{ id: 5, url: 'https://news.example.com/' }] as never);
    render(<Popup hash="" />);
    expect(await screen.findByText(/Badges do not run on news\.example\.com/)).toBeTruthy();
    expect(screen.queryByRole('switch')).toBeNull();
  });

  it('remembers lookups, looks one up again when chosen, and clears them', async () => {
    answer();
    render(<Popup hash="" />);
    lookUp(ID);
    await screen.findByTestId('card');
    await waitFor(async () => expect((await recentLookupsItem.getValue()).map((r) => r.id)).toEqual([ID]));
    fireEvent.click(screen.getByRole('button', { name: new RegExp(`^${ID}`) }));
    await waitFor(() => expect(sent('lookupOne')).toHaveLength(2));
    fireEvent.click(screen.getByRole('button', { name: 'Clear recent lookups' }));
    await waitFor(async () => expect(await recentLookupsItem.getValue()).toEqual([]));
    expect(screen.getByText('No lookups yet.')).toBeTruthy();
  });

  it('opened from the context menu, looks the ID up at once and leaves out the tab', async () => {
    answer({ results: { [ID]: FOUND } });
    render(<Popup hash={`#lookup=${ID}`} />);
    expect((await screen.findByTestId('card')).dataset.id).toBe(ID);
    expect((screen.getByLabelText('Organization ID') as HTMLInputElement).value).toBe(ID);
    expect(screen.queryByText('On this page')).toBeNull();
    expect(sent('getTabIds')).toEqual([]);
  });

  it('opened from the context menu without an ID, says the text held none', async () => {
    answer();
    render(<Popup hash="#lookup=" />);
    expect(await screen.findByText(/No organization ID found/)).toBeTruthy();
  });
});
