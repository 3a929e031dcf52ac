/**
 * The one DOM observer the content scripts use. A MutationObserver does not cross
 * shadow boundaries, so the same observer watches the document and every open shadow
 * root below it, and picks up new roots as their hosts arrive. A change after a quiet
 * spell is handled at once, in the observer's own callback (right after the page's task
 * that made it, before the page is laid out and painted); while changes keep coming they
 * are coalesced into one callback per animation frame. Changes made only inside our own UI hosts
 * (badges) are ignored, so rendering badges from the callback does not loop.
 */
import { BADGE_HOST_TAG, closestAcrossShadow, isShadowRoot, openShadowRoots, treeScopes, type OpaqueHost, type TreeScopes } from './dom';

export interface ObserveDeepOptions {
  signal?: AbortSignal;
  /** Tag name of our own UI hosts, whose inner changes never count. Defaults to the badge host. */
  ignore?: string;
  /**
   * Hosts whose shadow roots the caller never reads (see {@link OpaqueHost}): not watched, and
   * the walks handed to the caller leave them out. Changes to the hosts themselves still count.
   */
  opaque?: OpaqueHost;
  /** Schedules the coalesced callback and returns a cancel function. Defaults to requestAnimationFrame. */
  schedule?: (run: () => void) => () => void;
  /**
   * A change this long (ms) after the last callback is handled at once, not at the next
   * frame: a grid's page of rows gets its badges before anything is painted, with no wait
   * for the frame. Default {@link QUIET_MS}; Infinity: always wait for the frame.
   */
  quietMs?: number;
}

export const QUIET_MS = 100;

export interface DeepObservation {
  disconnect(): void;
}

/** Only the attributes that carry identity (rows recycled by virtualised grids change these). */
const ATTRIBUTES = ['id', 'href', 'role', 'data-relationship-id', 'data-tenant-id'];
const INIT: MutationObserverInit = { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ATTRIBUTES };
/** Without a mutation to trigger it, a shadow root attached to an element already in place is found by this periodic full scan. */
const FULL_SCAN_MS = 1000;
/**
 * Past this many elements added in one frame (a grid's page of rows), one walk of the whole
 * document is cheaper than a walk below each: each walk asks every scope it meets natively,
 * and a thousand small walks cost several times one big one.
 */
export const MANY_ADDED = 32;

function defaultSchedule(run: () => void): () => void {
  const id = requestAnimationFrame(() => run());
  return () => cancelAnimationFrame(id);
}

/**
 * Calls `onChange` after changes to `root` or any open shadow root below it, with the
 * document's tree scopes when it has just walked them all (see {@link TreeScopes}: to be
 * used within that call only).
 */
export function observeDeep(root: Document, onChange: (scopes?: TreeScopes) => void, options: ObserveDeepOptions = {}): DeepObservation {
  const { signal, opaque } = options;
  const ignore = options.ignore ?? BADGE_HOST_TAG;
  const schedule = options.schedule ?? defaultSchedule;
  const quietMs = options.quietMs ?? QUIET_MS;
  const MO = root.defaultView?.MutationObserver ?? globalThis.MutationObserver;
  if (signal?.aborted || typeof MO !== 'function') return { disconnect() {} };

  const watched = new WeakSet<Node>();
  let cancel: (() => void) | null = null;
  let stopped = false;
  let lastFullScan = 0;
  let lastFlush = -Infinity;

  const watch = (target: Document | ShadowRoot) => {
    if (watched.has(target)) return;
    watched.add(target);
    observer.observe(target, INIT);
  };
  const watchBelow = (node: Document | Element) => {
    for (const sr of openShadowRoots(node, ignore, opaque)) watch(sr);
  };
  const isOurHost = (n: Node): boolean => n.nodeType === 1 && (n as Element).localName === ignore;
  const onlyOurHosts = (nodes: NodeList): boolean => {
    for (let i = 0; i < nodes.length; i++) if (!isOurHost(nodes[i]!)) return false;
    return true;
  };
  /** A record that changes the page: not inside our own UI, not only adding or removing our hosts, not in a detached subtree. */
  const counts = (r: MutationRecord): boolean => {
    // Our own badges going in or out (a thousand records for a grid) are told apart first, cheaply.
    if (r.type === 'childList' && onlyOurHosts(r.addedNodes) && onlyOurHosts(r.removedNodes)) return false;
    return r.target.isConnected && closestAcrossShadow(r.target, ignore) === null;
  };

  /** Elements added since the last flush, whose shadow roots are watched at the flush. */
  let added: Element[] = [];
  const flush = () => {
    cancel = null;
    if (stopped) return;
    const now = Date.now();
    const nodes = added;
    added = [];
    // Now and then, or for a page of new rows, the whole document is walked for shadow roots
    // first, and the caller gets the walk (it reads the same page, and need not walk it
    // again); otherwise the caller first (badges for what just arrived), then a walk below
    // each new element. Either way, changes from here on reach the roots they hold.
    let scopes: TreeScopes | undefined;
    if (now - lastFullScan >= FULL_SCAN_MS || nodes.length > MANY_ADDED) {
      lastFullScan = now;
      scopes = treeScopes(root, ignore, opaque);
      for (const { scope } of scopes) if (isShadowRoot(scope)) watch(scope);
    }
    try {
      onChange(scopes);
    } catch {
      // The caller's failure is not the page's problem, and must not stop observing.
    }
    if (stopped) return;
    if (!scopes) for (const n of nodes) if (n.isConnected) watchBelow(n);
    lastFlush = Date.now();
  };

  const observer = new MO((records) => {
    if (stopped) return;
    let relevant = false;
    for (const r of records) {
      if (!counts(r)) continue;
      relevant = true;
      // New hosts may carry shadow roots whose content we must see from now on (watched at the flush).
      for (let i = 0; i < r.addedNodes.length; i++) {
        const n = r.addedNodes[i]!;
        if (n.nodeType === 1) added.push(n as Element);
      }
      // A host that stops being opaque (say, a link-button losing its href) shows its root from now on.
      if (opaque && r.type === 'attributes' && (r.target as Element).shadowRoot) added.push(r.target as Element);
    }
    if (!relevant || cancel) return;
    if (quietMs !== Infinity && Date.now() - lastFlush >= quietMs) flush();
    else cancel = schedule(flush);
  });

  watch(root);
  lastFullScan = Date.now();
  watchBelow(root);

  const disconnect = () => {
    if (stopped) return;
    stopped = true;
    observer.disconnect();
    cancel?.();
    cancel = null;
    signal?.removeEventListener('abort', disconnect);
  };
  signal?.addEventListener('abort', disconnect, { once: true });
  return { disconnect };
}
