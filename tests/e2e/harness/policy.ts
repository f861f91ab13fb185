import { createHash } from 'node:crypto';
import { constants, realpathSync, rmSync } from 'node:fs';
import { access, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BrowserContext } from 'playwright-core';

/**
 * Where Chromium on Linux reads machine policy. It is the only way to give an extension managed
 * storage: Linux Chromium has no per-process policy switch (`--policy` is honoured on debug
 * Android builds only). The directory is global, so every file here is named for its test run and
 * removed after it; only the extension loaded from one path is addressed (see `unpackedExtensionId`).
 */
export const MANAGED_POLICY_DIR = '/etc/chromium/policies/managed';

const FILE_PREFIX = 'mca-e2e-';

/** `mca-e2e-<pid>-<n>.json`: the pid tells a crashed run's leftovers from a live run's files. */
const FILE_NAME = new RegExp(`^${FILE_PREFIX}(\\d+)-\\d+\\.json$`);

let fileCount = 0;

/**
 * The ID Chromium gives an unpacked extension: the first 128 bits of SHA-256 over its real
 * absolute path, written with the digits 0-f as the letters a-p. Known before launch, so the
 * policy is there when the browser starts.
 */
export function unpackedExtensionId(extensionDir: string): string {
  const hex = createHash('sha256').update(realpathSync(path.resolve(extensionDir))).digest('hex').slice(0, 32);
  return [...hex].map((digit) => String.fromCharCode('a'.charCodeAt(0) + parseInt(digit, 16))).join('');
}

export interface ExtensionPolicy {
  /** Replaces the policy, as an administrator editing the file does. */
  set(values: Record<string, unknown>): Promise<void>;
  /** Deletes the file: the extension is unmanaged again once Chromium reloads. */
  remove(): Promise<void>;
}

async function ensureWritableDir(): Promise<void> {
  try {
    await mkdir(MANAGED_POLICY_DIR, { recursive: true });
    await access(MANAGED_POLICY_DIR, constants.W_OK);
  } catch (error) {
    throw new Error(
      `The managed-policy browser tests write Chromium's machine policy in ${MANAGED_POLICY_DIR}, which this process cannot ` +
        `(${(error as Error).message}). Run them as root (CI does), or create that directory writable for this user.`,
      { cause: error },
    );
  }
}

/**
 * Writes a machine policy for one extension (`3rdparty.extensions.<id>`), in a file of its own.
 * Writes go through a temporary name and a rename, so Chromium never reads a half-written file.
 */
export async function writeExtensionPolicy(extensionId: string, values: Record<string, unknown>): Promise<ExtensionPolicy> {
  await ensureWritableDir();
  const file = path.join(MANAGED_POLICY_DIR, `${FILE_PREFIX}${process.pid}-${fileCount++}.json`);
  const set = async (next: Record<string, unknown>) => {
    // Not ending in .json while written: Chromium reads only *.json files of the directory.
    const partial = `${file}.partial`;
    await writeFile(partial, JSON.stringify({ '3rdparty': { extensions: { [extensionId]: next } } }), { mode: 0o644 });
    await rename(partial, file);
  };
  // Should the run end before its `afterAll` (an uncaught error, a timeout), the file goes too.
  const removeOnExit = () => rmSync(file, { force: true });
  process.once('exit', removeOnExit);
  await set(values);
  return {
    set,
    async remove() {
      process.off('exit', removeOnExit);
      await rm(file, { force: true });
    },
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes policy files a crashed run left behind; files of a run still going stay. */
export async function removeStalePolicyFiles(): Promise<string[]> {
  const names = await readdir(MANAGED_POLICY_DIR).catch(() => [] as string[]);
  const stale = names.filter((name) => {
    const match = FILE_NAME.exec(name.replace(/\.partial$/, ''));
    return match !== null && !isAlive(Number(match[1]));
  });
  await Promise.all(stale.map((name) => rm(path.join(MANAGED_POLICY_DIR, name), { force: true })));
  return stale;
}

/**
 * Makes Chromium read the policy files now, with the "Reload policies" button of chrome://policy.
 * Without it a change applies only once the file has been left alone for a few seconds (Chromium
 * waits for writes to settle) or at the next periodic reload.
 */
export async function reloadPolicies(context: BrowserContext): Promise<void> {
  const page = await context.newPage();
  try {
    await page.goto('chrome://policy');
    await page.locator('#reload-policies').click({ timeout: 10_000 });
  } finally {
    await page.close();
  }
}
