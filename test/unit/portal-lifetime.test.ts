// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { scriptLifetime, watchUrl } from '@/utils/portals/lifetime';

function fakeCtx() {
  const listeners: Array<() => void> = [];
  return {
    onInvalidated: (cb: () => void) => void listeners.push(cb),
    invalidate: () => listeners.forEach((cb) => cb()),
  };
}

describe('scriptLifetime', () => {
  it("outlasts WXT's context while the extension is there (a page can invalidate that context)", () => {
    const ctx = fakeCtx();
    let alive = true;
    const life = scriptLifetime(ctx, { extensionAlive: () => alive });
    ctx.invalidate();
    expect(life.signal.aborted).toBe(false);
    expect(life.ended()).toBe(false);
    alive = false;
    expect(life.ended()).toBe(true);
    expect(life.signal.aborted).toBe(true);
  });

  it('ends with the context when the extension is gone, also when asking about it throws', () => {
    const ctx = fakeCtx();
    const life = scriptLifetime(ctx, {
      extensionAlive: () => {
        throw new Error('Extension context invalidated.');
      },
    });
    expect(life.signal.aborted).toBe(false);
    ctx.invalidate();
    expect(life.signal.aborted).toBe(true);
  });
});

describe('watchUrl', () => {
  it("passes the Navigation API's destination (before it commits), once per new URL, until aborted", () => {
    const target = new EventTarget();
    const win = { location: { href: 'https://partner.microsoft.com/a' }, navigation: target } as unknown as Window & { navigation: never };
    const seen: string[] = [];
    const controller = new AbortController();
    watchUrl((url) => seen.push(url), { signal: controller.signal, win });
    const navigate = (url: string) => target.dispatchEvent(Object.assign(new Event('navigate'), { destination: { url } }));
    navigate('https://partner.microsoft.com/b');
    navigate('https://partner.microsoft.com/b');
    navigate('https://partner.microsoft.com/a');
    controller.abort();
    navigate('https://partner.microsoft.com/c');
    expect(seen).toEqual(['https://partner.microsoft.com/b', 'https://partner.microsoft.com/a']);
  });

  it('polls location where there is no Navigation API, and stops polling when aborted', () => {
    vi.useFakeTimers();
    try {
      const location = { href: 'https://admin.microsoft.com/#/homepage' };
      const win = { location, setInterval, clearInterval } as unknown as Window;
      const seen: string[] = [];
      const controller = new AbortController();
      watchUrl((url) => seen.push(url), { signal: controller.signal, win, pollMs: 100 });
      location.href = 'https://admin.microsoft.com/#/partners';
      vi.advanceTimersByTime(100);
      vi.advanceTimersByTime(300);
      controller.abort();
      location.href = 'https://admin.microsoft.com/#/homepage';
      vi.advanceTimersByTime(500);
      expect(seen).toEqual(['https://admin.microsoft.com/#/partners']);
    } finally {
      vi.useRealTimers();
    }
  });
});
