/**
 * Marks an event as the browser's own, as a real pointer or keyboard would make it. happy-dom has
 * no `isTrusted`; in a browser a page's script cannot set it, and the card ignores events without it.
 */
export function trusted<T extends Event>(event: T): T {
  Object.defineProperty(event, 'isTrusted', { value: true });
  return event;
}
