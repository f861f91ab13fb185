/** The host of a page's URL when badges can be switched for it (web pages only). */
export function switchableHost(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.hostname : undefined;
  } catch {
    return undefined;
  }
}

/** The disabled-host list with `host` switched on or off; the list stays free of duplicates. */
export function setHostEnabled(disabledHosts: readonly string[], host: string, enabled: boolean): string[] {
  const others = disabledHosts.filter((h) => h !== host);
  return enabled ? others : [...others, host];
}
