// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MANY_ADDED, observeDeep } from '@/utils/portals/observe';
import { BADGE_HOST_TAG, treeScopes, type TreeScopes } from '@/utils/portals/dom';
import { customerRow, el, guid, mountGrid, mountShell } from './fixtures/partner-center/build';

/** A scheduler the test drives: frames run only when `frame()` is called. */
function manualFrames() {
  let pending: Array<() => void> = [];
  let scheduled = 0;
  return {
    schedule: (run: () => void) => {
      scheduled++;
      pending.push(run);
      return () => {
        pending = pending.filter((r) => r !== run);
      };
    },
    frame() {
      const due = pending;
      pending = [];
      for (const run of due) run();
    },
    get pending() {
      return pending.length;
    },
    get scheduled() {
      return scheduled;
    },
  };
}

/** Mutation observer callbacks are microtasks; a macrotask turn delivers them all. */
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
  document.body.replaceChildren();
  vi.restoreAllMocks();
});

/** Frame-coalesced only (quietMs: Infinity); the quiet-spell path has tests of its own below. */
function observe(onChange: () => void, signal?: AbortSignal, quietMs = Infinity) {
  const frames = manualFrames();
  const obs = observeDeep(document, onChange, { signal, schedule: frames.schedule, quietMs });
  cleanups.push(() => obs.disconnect());
  return { frames, obs };
}

describe('observeDeep', () => {
  it('fires once for a burst of 1,000 rows inserted into a nested shadow root created after observation started', async () => {
    const { page } = mountShell(document);
    const onChange = vi.fn();
    const { frames } = observe(onChange);

    // The grid (and its shadow root) arrives after observation started.
    const grid = mountGrid(document, page, ['name']);
    await settle();
    expect(frames.scheduled).toBe(1);
    frames.frame();
    expect(onChange).toHaveBeenCalledTimes(1);

    // Rows one by one, inside the grid's shadow root, nested under two more shadow roots,
    // spread over several tasks (several observer callbacks) before the next frame.
    for (let n = 1; n <= 1000; n++) {
      grid.body.append(customerRow(document, 'v2', '', { tenantId: guid(n), name: `C${n}` }).row);
      if (n % 100 === 0) await settle();
    }
    await settle();
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(frames.scheduled).toBe(2);
    frames.frame();
    expect(onChange).toHaveBeenCalledTimes(2);

    // Deeper still: a link-button's shadow root that came with one of those rows.
    const button = grid.body.lastElementChild!.querySelector('[appearance="link"]')!;
    button.shadowRoot!.querySelector('a')!.setAttribute('href', '/dashboard/v2/customers/list');
    await settle();
    frames.frame();
    expect(onChange).toHaveBeenCalledTimes(3);
  });

  it('by default handles the first change at once and coalesces the next ones with requestAnimationFrame', async () => {
    // The clock stands still: however slow the machine, the next changes come "soon after".
    vi.spyOn(Date, 'now').mockReturnValue(30_000_000);
    const { page } = mountShell(document);
    const grid = mountGrid(document, page, ['name']);
    const onChange = vi.fn();
    const raf = vi.spyOn(globalThis, 'requestAnimationFrame');
    const obs = observeDeep(document, onChange);
    cleanups.push(() => obs.disconnect());
    grid.body.append(customerRow(document, 'v2', '', { tenantId: guid(1), name: 'C1' }).row);
    await settle();
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(raf).not.toHaveBeenCalled();
    for (let n = 2; n <= 200; n++) grid.body.append(customerRow(document, 'v2', '', { tenantId: guid(n), name: `C${n}` }).row);
    await vi.waitFor(() => expect(onChange).toHaveBeenCalledTimes(2));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(onChange).toHaveBeenCalledTimes(2);
    expect(raf).toHaveBeenCalledTimes(1);
  });

  it('does not fire for changes inside our own badge hosts, nor for adding or removing them', async () => {
    const { page } = mountShell(document);
    const grid = mountGrid(document, page, ['name']);
    const row = customerRow(document, 'v2', '', { tenantId: guid(1), name: 'One' });
    grid.body.append(row.row);
    const onChange = vi.fn();
    const { frames } = observe(onChange);

    const badge = el(document, BADGE_HOST_TAG);
    const shadow = badge.attachShadow({ mode: 'open' });
    row.cells.name!.append(badge); // adding our host
    await settle();
    shadow.append(el(document, 'span', { id: 'x' }, 'Active · 12 days')); // rendering inside it
    badge.append(el(document, 'a', { href: '/x' }, 'light child'));
    badge.setAttribute('id', 'badge-1');
    await settle();
    (shadow.firstElementChild as HTMLElement).id = 'y';
    shadow.firstElementChild!.firstChild!.nodeValue = 'Expired';
    await settle();
    badge.remove(); // removing our host
    row.cells.name!.append(badge);
    await settle();
    frames.frame();
    expect(frames.scheduled).toBe(0);
    expect(onChange).not.toHaveBeenCalled();

    // The page's own change next to the badge still counts.
    row.cells.name!.append(el(document, 'span', {}, 'page'));
    await settle();
    frames.frame();
    expect(onChange).toHaveBeenCalledTimes(1);
  });

  it('watches identity attributes only: a recycled row id counts, a class change does not', async () => {
    const { page } = mountShell(document);
    const grid = mountGrid(document, page, ['name']);
    const row = customerRow(document, 'v2', '', { tenantId: guid(1), name: 'One' });
    grid.body.append(row.row);
    const onChange = vi.fn();
    const { frames } = observe(onChange);
    row.row.setAttribute('class', 'hover');
    row.row.setAttribute('aria-selected', 'true');
    await settle();
    expect(frames.scheduled).toBe(0);
    row.row.id = `row-${guid(2)}`;
    await settle();
    frames.frame();
    expect(onChange).toHaveBeenCalledTimes(1);
  });

  it('stops after abort, including a frame already scheduled', async () => {
    const { page } = mountShell(document);
    const grid = mountGrid(document, page, ['name']);
    const onChange = vi.fn();
    const controller = new AbortController();
    const { frames } = observe(onChange, controller.signal);

    grid.body.append(customerRow(document, 'v2', '', { tenantId: guid(1), name: 'One' }).row);
    await settle();
    expect(frames.pending).toBe(1);
    controller.abort();
    expect(frames.pending).toBe(0);
    frames.frame();
    grid.body.append(customerRow(document, 'v2', '', { tenantId: guid(2), name: 'Two' }).row);
    page.append(el(document, 'p', {}, 'more'));
    document.body.append(el(document, 'div'));
    await settle();
    frames.frame();
    expect(frames.scheduled).toBe(1);
    expect(onChange).not.toHaveBeenCalled();
  });

  it('an already aborted signal observes nothing; disconnect() stops too', async () => {
    const onChange = vi.fn();
    const controller = new AbortController();
    controller.abort();
    const a = observe(onChange, controller.signal);
    const b = observe(onChange);
    b.obs.disconnect();
    mountShell(document);
    await settle();
    expect(a.frames.scheduled + b.frames.scheduled).toBe(0);
    expect(onChange).not.toHaveBeenCalled();
  });

  it('a failing callback does not stop observation', async () => {
    const { page } = mountShell(document);
    const onChange = vi.fn(() => {
      throw new Error('boom');
    });
    const { frames } = observe(onChange);
    page.append(el(document, 'p'));
    await settle();
    expect(() => frames.frame()).not.toThrow();
    page.append(el(document, 'p'));
    await settle();
    frames.frame();
    expect(onChange).toHaveBeenCalledTimes(2);
  });

  it('finds a shadow root attached to an element already in place on a later full scan', async () => {
    const now = vi.spyOn(Date, 'now').mockReturnValue(1_000_000);
    const { page } = mountShell(document);
    const late = el(document, 'late-upgraded');
    page.append(late);
    const onChange = vi.fn();
    const { frames } = observe(onChange);
    const lateRoot = late.attachShadow({ mode: 'open' }); // no mutation announces this
    lateRoot.append(el(document, 'div', { role: 'row' }));
    await settle();
    expect(frames.scheduled).toBe(0);

    now.mockReturnValue(1_002_000);
    page.append(el(document, 'p')); // any page change triggers a frame, which rescans
    await settle();
    frames.frame();
    expect(onChange).toHaveBeenCalledTimes(1);
    lateRoot.append(el(document, 'div', { role: 'row' }));
    await settle();
    frames.frame();
    expect(onChange).toHaveBeenCalledTimes(2);
  });
  // Both ways of picking up shadow roots that came with new rows, with the periodic full scan
  // kept out (the clock stands still): a walk below each added element for a few, one walk of
  // the document for a page of them.
  it.each([
    ['a few rows (a walk below each)', 3],
    ['a page of rows (one walk of the document)', MANY_ADDED * 3],
  ])('watches the shadow roots that came with %s', async (_label, count) => {
    vi.spyOn(Date, 'now').mockReturnValue(5_000_000);
    const { page } = mountShell(document);
    const grid = mountGrid(document, page, ['name']);
    const onChange = vi.fn();
    const { frames } = observe(onChange);
    for (let n = 1; n <= count; n++) grid.body.append(customerRow(document, 'v2', '', { tenantId: guid(n), name: `C${n}` }).row);
    await settle();
    frames.frame();
    expect(onChange).toHaveBeenCalledTimes(1);
    // Every row's link-button shadow root is watched, the first, a middle and the last.
    for (const [i, k] of [0, Math.floor(count / 2), count - 1].entries()) {
      const button = grid.body.children[k]!.querySelector('[appearance="link"]')!;
      button.shadowRoot!.querySelector('a')!.setAttribute('href', `/dashboard/v2/customers/list?${k}`);
      await settle();
      frames.frame();
      expect(onChange).toHaveBeenCalledTimes(2 + i);
    }
  });
  it('handles a change after a quiet spell at once, in its own callback, and coalesces what follows into frames', async () => {
    const now = vi.spyOn(Date, 'now').mockReturnValue(10_000_000);
    const { page } = mountShell(document);
    const grid = mountGrid(document, page, ['name']);
    const onChange = vi.fn();
    const { frames } = observe(onChange, undefined, 250);
    await settle();

    // The first page of rows: handled in the observer's callback, no frame asked for.
    for (let n = 1; n <= 50; n++) grid.body.append(customerRow(document, 'v2', '', { tenantId: guid(n), name: `C${n}` }).row);
    await settle();
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(frames.scheduled).toBe(0);

    // More changes soon after: they wait for the frame, and several tasks' worth make one call.
    now.mockReturnValue(10_000_100);
    grid.body.append(customerRow(document, 'v2', '', { tenantId: guid(51), name: 'C51' }).row);
    await settle();
    grid.body.append(customerRow(document, 'v2', '', { tenantId: guid(52), name: 'C52' }).row);
    await settle();
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(frames.scheduled).toBe(1);
    frames.frame();
    expect(onChange).toHaveBeenCalledTimes(2);

    // The shadow roots that came with the rows handled at once are watched too.
    const button = grid.body.children[10]!.querySelector('[appearance="link"]')!;
    now.mockReturnValue(10_000_150);
    button.shadowRoot!.querySelector('a')!.setAttribute('href', '/dashboard/v2/customers/list?x');
    await settle();
    frames.frame();
    expect(onChange).toHaveBeenCalledTimes(3);

    // Quiet again (counted from the end of the last call): at once.
    now.mockReturnValue(10_000_500);
    grid.body.firstElementChild!.remove();
    await settle();
    expect(onChange).toHaveBeenCalledTimes(4);
    expect(frames.scheduled).toBe(2);
  });

  it('a change inside our own hosts never counts as one after a quiet spell', async () => {
    vi.spyOn(Date, 'now').mockReturnValue(20_000_000);
    const { page } = mountShell(document);
    const host = el(document, BADGE_HOST_TAG);
    page.append(host);
    await settle();
    const onChange = vi.fn();
    const { frames } = observe(onChange, undefined, 250);
    host.append(el(document, 'span'));
    page.append(el(document, BADGE_HOST_TAG));
    await settle();
    expect(onChange).not.toHaveBeenCalled();
    expect(frames.scheduled).toBe(0);
  });
  it('hands the caller its walk of the document when it made one (a page of rows), and nothing for a small change', async () => {
    vi.spyOn(Date, 'now').mockReturnValue(40_000_000);
    const { page } = mountShell(document);
    const grid = mountGrid(document, page, ['name']);
    const onChange = vi.fn();
    const { frames } = observe(onChange);
    for (let n = 1; n <= MANY_ADDED + 1; n++) grid.body.append(customerRow(document, 'v2', '', { tenantId: guid(n), name: `C${n}` }).row);
    await settle();
    frames.frame();
    const scopes = onChange.mock.calls[0]![0] as TreeScopes;
    expect(scopes.map((s) => s.scope)).toEqual(treeScopes(document, BADGE_HOST_TAG).map((s) => s.scope));
    expect(scopes).toHaveLength(3 + MANY_ADDED + 1 + 1); // document, shell, page, grid, one per link-button
    grid.body.append(customerRow(document, 'v2', '', { tenantId: guid(99), name: 'C99' }).row);
    await settle();
    frames.frame();
    expect(onChange).toHaveBeenCalledTimes(2);
    expect(onChange.mock.calls[1]![0]).toBeUndefined();
  });
  it('leaves opaque hosts\' roots out: not watched, not in the walk; a host that stops being opaque is watched from then on', async () => {
    vi.spyOn(Date, 'now').mockReturnValue(50_000_000);
    const { page } = mountShell(document);
    const grid = mountGrid(document, page, ['name']);
    const onChange = vi.fn();
    const frames = manualFrames();
    const opaque = (h: Element) => h.hasAttribute('href');
    const obs = observeDeep(document, onChange, { schedule: frames.schedule, quietMs: Infinity, opaque });
    cleanups.push(() => obs.disconnect());
    const rows = Array.from({ length: MANY_ADDED + 1 }, (_, i) => customerRow(document, 'v2', '', { tenantId: guid(i + 1), name: `C${i + 1}` }).row);
    grid.body.append(...rows);
    await settle();
    frames.frame();
    // document, shell, page, grid: the link-buttons (hosts with an href) are not entered.
    const scopes = onChange.mock.calls[0]![0] as TreeScopes;
    expect(scopes.map((s) => s.scope)).toEqual(treeScopes(document, BADGE_HOST_TAG, opaque).map((s) => s.scope));
    expect(scopes).toHaveLength(4);
    expect(scopes.map((s) => s.scope)).not.toContain(rows[0]!.querySelector('[appearance="link"]')!.shadowRoot);

    // A change inside a link-button's own root is not watched.
    const button = rows[0]!.querySelector('[appearance="link"]')!;
    button.shadowRoot!.querySelector('a')!.setAttribute('href', '/dashboard/v2/customers/list');
    await settle();
    expect(frames.pending).toBe(0);
    // Its href on the host is: that counts, and once the host has none its root is watched.
    button.removeAttribute('href');
    await settle();
    frames.frame();
    expect(onChange).toHaveBeenCalledTimes(2);
    button.shadowRoot!.querySelector('a')!.setAttribute('href', '/dashboard/v2/customers/list?x');
    await settle();
    frames.frame();
    expect(onChange).toHaveBeenCalledTimes(3);
  });
});
