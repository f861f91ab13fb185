/**
 * Host permissions for WXT's fake browser, which has none: what the manifest asks for is granted
 * before every test, as at install, and tests grant more as the options page's request would.
 * The background refuses to call an API origin it holds no permission for, so the local mock
 * API (on a loopback port) has to be granted like any other custom API address.
 */
import { beforeEach } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { patternIncludes } from '@/utils/page-config';
import { API_HOST_PERMISSION, BUILTIN_MATCHES } from '@/utils/sites';

const INSTALLED = [API_HOST_PERMISSION, ...BUILTIN_MATCHES];
const granted = new Set<string>();

/** Grants host permissions (`https://host/*`, `http://127.0.0.1:8787/*`). */
export function grantOrigins(...patterns: string[]): void {
  for (const pattern of patterns) granted.add(pattern);
}

/** Takes host permissions back, as a user removing site access would. */
export function revokeOrigins(...patterns: string[]): void {
  for (const pattern of patterns) granted.delete(pattern);
}

/** Whether a granted pattern covers the origin a requested `origin/*` pattern names. */
function isGranted(requested: string): boolean {
  if (granted.has(requested)) return true;
  const origin = /^([a-z]+:\/\/[^/]+)\/\*$/i.exec(requested)?.[1];
  if (!origin) return false;
  const url = new URL(`${origin}/`);
  return [...granted].some((pattern) => patternIncludes(pattern, url));
}

const permissions = fakeBrowser.permissions as unknown as Record<string, unknown>;
permissions.contains = async ({ origins = [] }: { origins?: string[] }) => origins.every(isGranted);
permissions.request = async ({ origins = [] }: { origins?: string[] }) => {
  grantOrigins(...origins);
  return true;
};
permissions.remove = async ({ origins = [] }: { origins?: string[] }) => {
  revokeOrigins(...origins);
  return true;
};
permissions.getAll = async () => ({ origins: [...granted], permissions: [] });

beforeEach(() => {
  granted.clear();
  grantOrigins(...INSTALLED);
});
