/** The fields of a runtime.MessageSender that the guard reads. */
export interface SenderLike {
  id?: string;
  url?: string;
  origin?: string;
}

/**
 * True only for messages sent by this extension's own pages and content scripts.
 * Messages from other extensions arrive with another `id`; web pages cannot reach
 * runtime.onMessage at all (no externally_connectable), but a missing id is refused too.
 */
export function isOwnSender(sender: SenderLike | undefined, ownId: string): boolean {
  return !!sender && typeof sender.id === 'string' && sender.id.length > 0 && sender.id === ownId;
}
