/**
 * Walking the portals' DOM through OPEN shadow roots (shared/portals.md: the grids
 * render inside shadow roots nested several levels deep, which querySelectorAll does
 * not see). Closed shadow roots are invisible by design. Nothing here throws on
 * detached nodes; nothing here knows any portal's selectors.
 */

/** Tag of the host element every GDAP Lens badge renders in. Our own UI is never read back. */
export const BADGE_HOST_TAG = 'gdap-lens-badge';

export type DeepRoot = Document | DocumentFragment | Element;

export interface DeepWalkOptions {
  /** Selector of elements whose whole subtree (light and shadow) is not entered, e.g. our own UI hosts. */
  skip?: string;
}

const ELEMENT_NODE = 1;
const DOCUMENT_NODE = 9;
const DOCUMENT_FRAGMENT_NODE = 11;
const SHOW_ELEMENT = 0x1;

function isElement(node: Node): node is Element {
  return node.nodeType === ELEMENT_NODE;
}

/** A shadow root (not a plain DocumentFragment). Checked by shape, not instanceof, so it works across realms. */
export function isShadowRoot(node: Node | null | undefined): node is ShadowRoot {
  return !!node && node.nodeType === DOCUMENT_FRAGMENT_NODE && !!(node as Partial<ShadowRoot>).host;
}

/**
 * One iterative pass over every element below `root`, entering each open shadow root
 * right after its host (so the order is the rendered order: host, its shadow tree,
 * then its light children). `visit` sees every element once; `onRoot` every shadow root.
 */
function walkDeep(
  root: DeepRoot,
  visit: ((el: Element) => void) | null,
  onRoot: ((sr: ShadowRoot) => void) | null,
  skip: string | undefined,
): void {
  const doc = root.nodeType === DOCUMENT_NODE ? (root as Document) : root.ownerDocument;
  if (!doc) return;
  // A plain tag name (our badge host) is checked without the selector engine: this runs for
  // every element of a grid of thousands.
  const skipTag = skip && /^[a-z][a-z0-9-]*$/.test(skip) ? skip : null;
  const stack: TreeWalker[] = [doc.createTreeWalker(root, SHOW_ELEMENT)];
  if (isElement(root) && root.shadowRoot) {
    onRoot?.(root.shadowRoot);
    stack.push(doc.createTreeWalker(root.shadowRoot, SHOW_ELEMENT));
  }
  while (stack.length > 0) {
    const walker = stack[stack.length - 1]!;
    const node = walker.nextNode();
    if (!node) {
      stack.pop();
      continue;
    }
    const el = node as Element;
    if (skipTag ? el.localName === skipTag : skip && el.matches(skip)) {
      // Jump past el's subtree: the walker continues after its last descendant.
      let last: Element = el;
      while (last.lastElementChild) last = last.lastElementChild;
      walker.currentNode = last;
      continue;
    }
    visit?.(el);
    const sr = el.shadowRoot;
    if (sr) {
      onRoot?.(sr);
      stack.push(doc.createTreeWalker(sr, SHOW_ELEMENT));
    }
  }
}

/**
 * Every element below `root` matching `selector`, through all open shadow roots, in
 * rendered order. Like querySelectorAll, `root` itself is not a candidate. An invalid
 * selector throws (a programming error), the DOM never does.
 */
export function deepQuerySelectorAll(root: DeepRoot, selector: string, options: DeepWalkOptions = {}): Element[] {
  const out: Element[] = [];
  walkDeep(
    root,
    (el) => {
      if (el.matches(selector)) out.push(el);
    },
    null,
    options.skip,
  );
  return out;
}

/**
 * The tree scopes below a root as one walk found them (see {@link treeScopes}): valid until
 * the DOM changes, so only to be handed on within the same synchronous run.
 */
export type TreeScopes = ReadonlyArray<{ scope: DeepRoot; hosted: boolean }>;

/**
 * A shadow host whose shadow root is neither read nor watched, because everything it stands
 * for is on the host itself (a portal module says which: e.g. a link-button that carries its
 * own `href`, whose shadow root only draws the same link around its label).
 */
export type OpaqueHost = (host: Element) => boolean;

/**
 * `root` and every open shadow root below it, outermost first, except those of hosts named
 * `skipTag` (our own UI) and of hosts inside them, and those of `opaque` hosts: each tree
 * scope is asked natively (`querySelectorAll`), several times faster than walking a grid of
 * thousands of rows element by element.
 */
export function treeScopes(root: DeepRoot, skipTag: string, opaque?: OpaqueHost): TreeScopes {
  const scopes: Array<{ scope: DeepRoot; hosted: boolean }> = [];
  const queue: DeepRoot[] = [root];
  if (isElement(root) && root.shadowRoot && root.localName !== skipTag && !opaque?.(root)) queue.push(root.shadowRoot);
  for (let s = 0; s < queue.length; s++) {
    const scope = queue[s]!;
    // Whether the scope holds one of our hosts with light children (which count as ours too;
    // our hosts have none, but a page could put some in): asked once, natively.
    const hosted = scope.querySelector(`${skipTag} > *`) !== null;
    const all = scope.querySelectorAll('*');
    for (let k = 0; k < all.length; k++) {
      const el = all[k]!;
      // Only shadow hosts are asked more (our own hosts have a shadow root too).
      const sr = el.shadowRoot;
      if (sr && el.localName !== skipTag && (!hosted || el.closest(skipTag) === null) && !opaque?.(el)) queue.push(sr);
    }
    scopes.push({ scope, hosted });
  }
  return scopes;
}

/**
 * For each selector, every element below `root` that matches it, through all open shadow
 * roots except those of hosts named `skipTag` (our own UI, whose light children are skipped
 * too). Scopes come outermost first, each in document order, so the order is not the
 * rendered order across scopes: for that, use {@link deepQuerySelectorAll}. `scopes`: those of
 * `root` if a walk just found them (the observer's, with the same `opaque`), else walked here.
 */
export function deepQueryGroups(
  root: DeepRoot,
  selectors: readonly string[],
  skipTag: string,
  opaque?: OpaqueHost,
  scopes: TreeScopes = treeScopes(root, skipTag, opaque),
): Element[][] {
  const groups: Element[][] = selectors.map(() => []);
  for (const { scope, hosted } of scopes) {
    selectors.forEach((selector, i) => {
      const found = scope.querySelectorAll(selector);
      for (let k = 0; k < found.length; k++) {
        const el = found[k]!;
        if (el.localName !== skipTag && (!hosted || el.parentElement?.closest(skipTag) == null)) groups[i]!.push(el);
      }
    });
  }
  return groups;
}

/** Every open shadow root below `root` (its own too), outermost first, not entering hosts named `skipTag` nor `opaque` ones. */
export function openShadowRoots(root: DeepRoot, skipTag: string, opaque?: OpaqueHost): ShadowRoot[] {
  return treeScopes(root, skipTag, opaque).flatMap(({ scope }) => (isShadowRoot(scope) ? [scope] : []));
}

/**
 * The nearest inclusive ancestor of `node` matching `selector`, climbing from a shadow
 * root to its host. Text nodes start at their parent. Null when nothing matches or the
 * node is detached at some level.
 */
export function closestAcrossShadow(node: Node | null | undefined, selector: string): Element | null {
  let cur: Node | null = node ?? null;
  while (cur) {
    if (isElement(cur)) {
      const hit = cur.closest(selector);
      if (hit) return hit;
      const top = cur.getRootNode();
      cur = isShadowRoot(top) ? top.host : null;
    } else if (isShadowRoot(cur)) {
      cur = cur.host;
    } else {
      cur = cur.parentNode;
    }
  }
  return null;
}
