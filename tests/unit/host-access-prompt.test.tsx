// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { HostAccessPrompt } from '@/components/HostAccessPrompt';
import { settingsItem } from '@/utils/storage';
import { useEnglishMessages } from './support/english-messages';
import { fakeHostAccess } from './support/host-access';

const WITHHELD = new Set(['https://app.hubspot.com/*', 'https://api.mycreditapp.ai/*']);

describe('the prompt for host access the browser withholds', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    useEnglishMessages();
  });
  afterEach(cleanup);

  it('shows nothing while everything is granted', async () => {
    fakeHostAccess();
    const { container } = render(<HostAccessPrompt />);
    await waitFor(() => expect(fakeBrowser.permissions.contains).toHaveBeenCalledWith({ origins: ['https://api.mycreditapp.ai/*'] }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(container.textContent).toBe('');
  });

  it('names the CRM and the API withheld, asks for exactly those, and reports a refusal', async () => {
    fakeHostAccess((origin) => !WITHHELD.has(origin));
    const request = vi.spyOn(fakeBrowser.permissions, 'request').mockResolvedValue(false);
    const onGranted = vi.fn();
    render(<HostAccessPrompt onGranted={onGranted} />);
    await screen.findByText('The browser does not let MyCreditApp read pages on HubSpot, so no badges are shown there.');
    screen.getByText('The browser does not let MyCreditApp reach its API at api.mycreditapp.ai, so lookups may fail.');

    fireEvent.click(screen.getByRole('button', { name: 'Allow access' }));
    expect(request).toHaveBeenCalledWith({ origins: ['https://app.hubspot.com/*', 'https://api.mycreditapp.ai/*'] });
    await screen.findByText(/^Access was not allowed/);
    expect(onGranted).not.toHaveBeenCalled();

    request.mockResolvedValue(true);
    fireEvent.click(screen.getByRole('button', { name: 'Allow access' }));
    await waitFor(() => expect(onGranted).toHaveBeenCalledOnce());
  });

  it('leaves out a CRM switched off in the settings', async () => {
    fakeHostAccess((origin) => origin !== 'https://app.hubspot.com/*');
    await settingsItem.setValue({ ...(await settingsItem.getValue()), disabledBuiltinSites: ['hubspot'] });
    const { container } = render(<HostAccessPrompt />);
    await waitFor(() => expect(fakeBrowser.permissions.contains).toHaveBeenCalledWith({ origins: ['https://api.mycreditapp.ai/*'] }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(container.textContent).toBe('');
  });
});
