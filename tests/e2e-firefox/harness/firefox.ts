import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Bidi } from './bidi';
import { startHostProxy, type HostProxy } from './host-proxy';
import { Marionette } from './marionette';

export const DEFAULT_FIREFOX_EXTENSION_DIR = path.resolve(import.meta.dirname, '../../../.output/firefox-mv3');
const START_TIMEOUT_MS = 30_000;

export function firefoxPath(): string {
  const candidate = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
  if (!existsSync(candidate)) {
    throw new Error(`Firefox not found at ${candidate}. Install it (Debian: apt-get install -y firefox-esr) or set FIREFOX_PATH.`);
  }
  return candidate;
}

export function firefoxExtensionDir(): string {
  const dir = path.resolve(process.env.FIREFOX_EXTENSION_DIR ?? DEFAULT_FIREFOX_EXTENSION_DIR);
  if (!existsSync(path.join(dir, 'manifest.json'))) {
    throw new Error(`No Firefox build in ${dir}: run \`npm run build:firefox\` (or set FIREFOX_EXTENSION_DIR).`);
  }
  return dir;
}

export interface FirefoxOptions {
  /** Host names the browser reaches at the local HTTPS server on `sitesPort`. */
  hosts: readonly string[];
  sitesPort: number;
  extensionDir?: string;
  /** Extra profile preferences (e.g. a short background idle time). */
  prefs?: Record<string, string | number | boolean>;
}

export interface Firefox {
  marionette: Marionette;
  bidi: Bidi;
  /** The add-on's ID (`browser_specific_settings.gecko.id`). */
  extensionId: string;
  /** The random host of this install's `moz-extension://` origin. */
  uuid: string;
  extensionUrl(page: string): string;
  /** Runs `script` (a function body; `arguments` holds `args`) with the browser's own privileges. */
  chrome<T>(script: string, ...args: unknown[]): Promise<T>;
  version: string;
  close(): Promise<void>;
}

function userJs(prefs: Record<string, string | number | boolean>): string {
  return Object.entries(prefs)
    .map(([name, value]) => `user_pref(${JSON.stringify(name)}, ${JSON.stringify(value)});`)
    .join('\n');
}

async function waitForFile(file: string, child: ChildProcess, log: () => string): Promise<string> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Firefox exited (${child.exitCode}) while starting:\n${log()}`);
    const text = await readFile(file, 'utf8').catch(() => '');
    if (text.trim()) return text.trim();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Firefox did not start within ${START_TIMEOUT_MS} ms:\n${log()}`);
}

/**
 * Firefox ESR, headless, in a fresh profile, with the production Firefox build installed as a
 * temporary add-on through WebDriver BiDi's `webExtension.install`. One WebDriver session is
 * shared by Marionette (extension pages, chrome scope) and BiDi (web pages), as geckodriver does.
 * The demo hosts are reached through a local proxy; the sites' self-signed certificate is
 * accepted through the session's `acceptInsecureCerts`.
 */
export async function launchFirefox(options: FirefoxOptions): Promise<Firefox> {
  const proxy: HostProxy = await startHostProxy(options.hosts, options.sitesPort);
  const profile = await mkdtemp(path.join(os.tmpdir(), 'mca-firefox-profile-'));
  let child: ChildProcess | undefined;
  let marionette: Marionette | undefined;
  let bidi: Bidi | undefined;
  const cleanUp = async () => {
    bidi?.close();
    if (marionette && child?.exitCode === null) {
      await marionette.send('Marionette:Quit', { flags: ['eForceQuit'] }).catch(() => undefined);
    }
    marionette?.close();
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      const timer = setTimeout(() => child!.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await proxy.close();
    await rm(profile, { recursive: true, force: true });
  };
  try {
    await writeFile(
      path.join(profile, 'user.js'),
      userJs({
        'network.proxy.type': 1,
        'network.proxy.ssl': '127.0.0.1',
        'network.proxy.ssl_port': proxy.port,
        'network.proxy.http': '127.0.0.1',
        'network.proxy.http_port': proxy.port,
        'network.proxy.no_proxies_on': '',
        // Marionette picks a free port and writes it to MarionetteActivePort in the profile.
        'marionette.port': 0,
        // The extension's strings follow the browser's language: pin it so tests read English.
        'intl.locale.requested': 'en-US',
        'intl.accept_languages': 'en-US, en',
        ...options.prefs,
      }),
    );
    const stderr: string[] = [];
    child = spawn(
      firefoxPath(),
      ['--headless', '--no-remote', '--profile', profile, '--marionette', '--remote-debugging-port=0', '--remote-allow-system-access', 'about:blank'],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr.push(String(chunk));
      if (stderr.length > 200) stderr.shift();
    });
    const log = () => stderr.join('').slice(-4000);
    const port = Number(await waitForFile(path.join(profile, 'MarionetteActivePort'), child, log));
    marionette = await Marionette.connect(port);
    const session = await marionette.send<{ capabilities: { webSocketUrl: string; browserVersion: string } }>('WebDriver:NewSession', {
      acceptInsecureCerts: true,
      webSocketUrl: true,
    });
    bidi = await Bidi.connect(session.capabilities.webSocketUrl);
    // Pages' uncaught errors and console errors, for each tab to collect its own.
    await bidi.send('session.subscribe', { events: ['log.entryAdded'] });
    const { extension } = await bidi.send<{ extension: string }>('webExtension.install', {
      extensionData: { type: 'path', path: options.extensionDir ?? firefoxExtensionDir() },
    });
    const m = marionette;
    const chrome = async <T>(script: string, ...args: unknown[]): Promise<T> => {
      await m.send('Marionette:SetContext', { value: 'chrome' });
      try {
        return (await m.send<{ value: T }>('WebDriver:ExecuteScript', { script, args })).value;
      } finally {
        await m.send('Marionette:SetContext', { value: 'content' });
      }
    };
    const uuid = await chrome<string>('return WebExtensionPolicy.getByID(arguments[0]).mozExtensionHostname', extension);
    return {
      marionette,
      bidi,
      extensionId: extension,
      uuid,
      extensionUrl: (page) => `moz-extension://${uuid}/${page}`,
      chrome,
      version: session.capabilities.browserVersion,
      close: cleanUp,
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}
