/** Whether `node` is `root` or inside it, shadow trees included (the DOM's "shadow-including inclusive ancestor"). */
function inside(root: Node, node: Node | null): boolean {
  for (let at = node; at; at = at.parentNode ?? (at instanceof ShadowRoot ? at.host : null)) if (at === root) return true;
  return false;
}

/**
 * Gives `event` the `composedPath()` browsers give it: a listener sees no node inside a closed
 * shadow root it is not itself in. happy-dom shows every node to every listener, so without this a
 * test cannot tell a listener on the document from one in the closed root.
 */
export function closedRootsHidden<T extends Event>(event: T): T {
  const whole = event.composedPath.bind(event);
  // happy-dom reads the path itself before dispatch, with no listener running: that read sees it all.
  const seenFrom = (listener: Node) =>
    whole().filter((target) => {
      let root = target instanceof Node ? target.getRootNode() : undefined;
      while (root instanceof ShadowRoot) {
        if (root.mode === 'closed' && !inside(root, listener)) return false;
        root = root.host.getRootNode();
      }
      return true;
    });
  Object.defineProperty(event, 'composedPath', {
    value: () => (event.currentTarget instanceof Node ? seenFrom(event.currentTarget) : whole()),
  });
  return event;
}
