// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ConnectionCard } from '@/components/ConnectionCard';
import type { HostConnection } from '@/utils/api-schemas';
import type { LookupResult, ServiceState } from '@/utils/protocol';
import { useEnglishMessages } from './support/english-messages';

const ID = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
const HOUR = 3600_000;

function connectionWith(overrides: Partial<HostConnection> = {}): HostConnection {
  return {
    host_organization_id: ID,
    guest_organization_id: '00000000-0000-4000-8000-000000000002',
    host_name: 'Acme Bank',
    host_email: 'ops@acme.example',
    owner_email: 'owner@acme.example',
    status: 'connected',
    archived: false,
    created_at: new Date(Date.now() - 72 * HOUR).toISOString(),
    updated_at: new Date(Date.now() - 2 * HOUR).toISOString(),
    archived_at: null,
    active_action_type: 'analytics_request',
    active_action_updated_at: new Date(Date.now() - 5 * HOUR).toISOString(),
    ...overrides,
  };
}

function found(status: 'connected' | 'disconnected' | 'archived', connection = connectionWith()): LookupResult {
  return { status, connection, fetchedAt: Date.now(), stale: false };
}

const READY: ServiceState = { kind: 'ready', authMode: 'token' };

beforeEach(() => {
  fakeBrowser.reset();
  useEnglishMessages();
});

afterEach(cleanup);

describe('ConnectionCard', () => {
  it('shows everything the API says about a connection', () => {
    render(<ConnectionCard id={ID} result={found('connected')} state={READY} />);
    expect(screen.getByRole('heading', { name: 'Acme Bank' })).toBeTruthy();
    expect(screen.getAllByText('Connected').length).toBeGreaterThan(0);
    expect(screen.getByText('Analytics request')).toBeTruthy();
    expect(screen.getByText('ops@acme.example').getAttribute('href')).toBe('mailto:ops%40acme.example');
    expect(screen.getByText('owner@acme.example').getAttribute('href')).toBe('mailto:owner%40acme.example');
    expect(screen.getByText('3 days ago')).toBeTruthy();
    expect(screen.getByText('2 hours ago')).toBeTruthy();
    expect(screen.getByText(ID)).toBeTruthy();
  });

  it('says when an archived connection was archived', () => {
    const archivedAt = new Date(Date.now() - 48 * HOUR).toISOString();
    render(<ConnectionCard id={ID} result={found('archived', connectionWith({ archived: true, archived_at: archivedAt, status: 'disconnected' }))} />);
    expect(screen.getAllByText('Archived')).toHaveLength(2);
    expect(screen.getByText('2 days ago')).toBeTruthy();
    expect(screen.getByText('Disconnected')).toBeTruthy();
  });

  it('keeps HTML in API text as text', () => {
    const hostile = '<img src=x onerror="alert(1)"><b>Bold</b>';
    const { container } = render(
      <ConnectionCard id={ID} result={found('connected', connectionWith({ host_name: hostile, active_action_type: '<i>new_kind</i>' }))} />,
    );
    expect(screen.getByRole('heading').textContent).toBe(hostile);
    expect(screen.getByText('<i>new_kind</i>')).toBeTruthy();
    expect(container.querySelector('img, b, i')).toBeNull();
  });

  it('builds mailto links that cannot become another scheme or carry headers', () => {
    const email = 'x@y.example?cc=boss@evil.example&body=hi';
    render(<ConnectionCard id={ID} result={found('connected', connectionWith({ host_email: email, owner_email: 'javascript:alert(1)' }))} />);
    const host = screen.getByText(email).getAttribute('href')!;
    expect(host.startsWith('mailto:')).toBe(true);
    expect(host.slice('mailto:'.length)).not.toMatch(/[?&:]/);
    expect(screen.getByText('javascript:alert(1)').getAttribute('href')).toBe('mailto:javascript%3Aalert(1)');
  });

  it('names an action type it does not know as the API does', () => {
    render(<ConnectionCard id={ID} result={found('connected', connectionWith({ active_action_type: 'kyc_refresh' }))} />);
    expect(screen.getByText('kyc_refresh')).toBeTruthy();
  });

  it('shows loading, not connected and ID-specific errors', () => {
    const { rerender } = render(<ConnectionCard id={ID} />);
    expect(screen.getByRole('status').textContent).toBe('Looking up this organization…');
    rerender(<ConnectionCard id={ID} result={{ status: 'not_connected', fetchedAt: 0, stale: false }} />);
    expect(screen.getByRole('heading', { name: 'Not connected' })).toBeTruthy();
    rerender(<ConnectionCard id={ID} result={{ status: 'error', error: { kind: 'forbidden', message: 'Forbidden', status: 403 } }} />);
    expect(screen.getByText(/Your access does not include this organization/)).toBeTruthy();
  });

  it('tells a signed-out user to open Options, with a button that does', () => {
    const onOpenOptions = vi.fn();
    const { rerender } = render(
      <ConnectionCard id={ID} result={{ status: 'unknown' }} state={{ kind: 'not_configured', authMode: 'none' }} onOpenOptions={onOpenOptions} />,
    );
    expect(screen.getByRole('heading', { name: 'MyCreditApp is not set up yet.' })).toBeTruthy();
    expect(screen.getByText(/an access token or API client in the settings/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Open Options' }));
    expect(onOpenOptions).toHaveBeenCalledOnce();
    rerender(
      <ConnectionCard id={ID} result={{ status: 'unknown' }} state={{ kind: 'unavailable', authMode: 'token', retryAt: Date.UTC(2026, 0, 1, 9, 30, 5) }} onOpenOptions={onOpenOptions} />,
    );
    expect(screen.getByRole('heading', { name: /^MyCreditApp is not available right now/ })).toBeTruthy();
    expect(screen.getByText(/The extension tries again at \d/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Open Options' })).toBeNull();
    rerender(
      <ConnectionCard
        id={ID}
        result={{ status: 'unknown' }}
        state={{ kind: 'forbidden', authMode: 'client', error: { kind: 'forbidden', message: '403', code: 'requester_organization_mismatch' } }}
        onOpenOptions={onOpenOptions}
      />,
    );
    expect(screen.getByRole('heading', { name: /requester organization ID does not belong to these credentials/ })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Open Options' })).toBeTruthy();
  });

  it('copies the ID', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText }, language: 'en' });
    render(<ConnectionCard id={ID} result={found('connected')} />);
    fireEvent.click(screen.getByRole('button', { name: 'Copy ID' }));
    expect(writeText).toHaveBeenCalledWith(ID);
    expect(await screen.findByText('Copied')).toBeTruthy();
    vi.unstubAllGlobals();
  });
});
