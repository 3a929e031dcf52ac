// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { SCRIPT_STARTED_EVENT, scriptLifetime, watchUrl } from '@/utils/portals/lifetime';

describe('scriptLifetime', () => {
  it('a starting copy makes older copies check: one whose extension is gone ends, one still there goes on', () => {
    let alive = true;
    const old = scriptLifetime({ extensionAlive: () => alive });
    expect(old.signal.aborted).toBe(false);
    // Any page may send the event: while the extension is there, nothing ends.
    document.dispatchEvent(new CustomEvent(SCRIPT_STARTED_EVENT));
    expect(old.signal.aborted).toBe(false);
    // The extension was reloaded: the old copy is orphaned; the new copy announces itself.
    alive = false;
    const fresh = scriptLifetime({ extensionAlive: () => true });
    expect(old.signal.aborted).toBe(true);
    expect(fresh.signal.aborted).toBe(false);
    expect(fresh.ended()).toBe(false);
  });

  it('ends when asked and the extension is gone, also when asking about it throws', () => {
    const life = scriptLifetime({
      extensionAlive: () => {
        throw new Error('Extension context invalidated.');
      },
    });
    // Its own announcement already made it check.
    expect(life.signal.aborted).toBe(true);
    expect(life.ended()).toBe(true);
    let alive = true;
    const other = scriptLifetime({ extensionAlive: () => alive });
    expect(other.ended()).toBe(false);
    alive = false;
    expect(other.ended()).toBe(true);
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
