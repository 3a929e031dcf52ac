import { describe, expect, it } from 'vitest';
import { isOwnSender } from '@/utils/messaging/guard';

describe('message sender guard', () => {
  const own = 'abcdefghijklmnopabcdefghijklmnop';
  it('accepts this extension', () => expect(isOwnSender({ id: own, url: 'https://partner.microsoft.com/x' }, own)).toBe(true));
  it('drops another extension', () => expect(isOwnSender({ id: 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz' }, own)).toBe(false));
  it('drops a sender without id (a web page)', () => expect(isOwnSender({ url: 'https://evil.example/' }, own)).toBe(false));
  it('drops a missing sender', () => expect(isOwnSender(undefined, own)).toBe(false));
  it('drops an empty id even when ours is empty', () => expect(isOwnSender({ id: '' }, '')).toBe(false));
});
