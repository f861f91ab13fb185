import type { Browser } from 'wxt/browser';
import { classifySender, type SenderContext } from '@/utils/classify-sender';
import {
  backgroundRequests,
  backgroundRequestSchema,
  fieldSenders,
  type BackgroundRequestType,
  type BackgroundResponse,
  type Envelope,
  type SenderKind,
} from '@/utils/protocol';
import type { z } from '@/utils/zod';

/** Who asked, as far as the answer depends on it. */
export interface Asker {
  kind: SenderKind;
  tabId?: number;
  frameId?: number;
  url?: string;
  origin?: string;
}

type ParsedRequest<T extends BackgroundRequestType> = z.infer<(typeof backgroundRequests)[T]['request']>;

export type RequestHandlers = {
  [T in BackgroundRequestType]: (request: ParsedRequest<T>, asker: Asker) => Promise<BackgroundResponse<T>>;
};

export interface RouterDeps {
  /** What classification needs; read per message, since the enabled sites follow the settings. */
  senderContext(): Promise<SenderContext>;
  handlers: RequestHandlers;
  /** Whether a classified sender may be heard now (a rate limit); refused unheard when not. */
  admit?(asker: Asker): boolean;
}

export type MessageSender = Pick<Browser.runtime.MessageSender, 'id' | 'url' | 'origin' | 'tab' | 'frameId'>;

function refuse(reason: string, sender: MessageSender | undefined, detail?: unknown): Envelope<never> {
  console.warn(`Refused a message: ${reason}`, { url: sender?.url, origin: sender?.origin, tab: sender?.tab?.id, frameId: sender?.frameId }, detail ?? '');
  return { ok: false, error: `Refused: ${reason}` };
}

/**
 * The background's one entry for messages: the sender is classified before anything else, the
 * request checked against the protocol and the sender's rights, and the answer checked against
 * the protocol before it leaves. Failures become an error envelope, never a throw.
 */
export function createMessageRouter(deps: RouterDeps): (message: unknown, sender: MessageSender | undefined) => Promise<Envelope<unknown>> {
  return async (message, sender) => {
    let kind: ReturnType<typeof classifySender>;
    try {
      kind = classifySender(sender, await deps.senderContext());
    } catch (error) {
      return refuse('sender could not be classified', sender, error);
    }
    if (kind === 'refused' || !sender) return refuse('unknown sender', sender);
    const asker: Asker = { kind, tabId: sender.tab?.id, frameId: sender.frameId, url: sender.url, origin: sender.origin };
    // Before parsing, which is most of a message's cost; unlogged, or a flood would write a line per message.
    if (deps.admit && !deps.admit(asker)) return { ok: false, error: 'Refused: too many requests from this tab' };

    const parsed = backgroundRequestSchema.safeParse(message);
    if (!parsed.success) return refuse('malformed request', sender, parsed.error.issues.slice(0, 3));
    const request = parsed.data;
    const spec = backgroundRequests[request.type];
    if (!(spec.from as readonly SenderKind[]).includes(kind)) return refuse(`${kind} may not send ${request.type}`, sender);
    for (const [field, value] of Object.entries(request)) {
      const allowed = value === undefined ? undefined : fieldSenders(request.type, field);
      if (allowed && !allowed.includes(kind)) return refuse(`${kind} may not send ${request.type} with ${field}`, sender);
    }

    try {
      const handler = deps.handlers[request.type] as (request: unknown, asker: Asker) => Promise<unknown>;
      const answer = spec.response.safeParse(await handler(request, asker));
      if (!answer.success) {
        console.error(`The answer to ${request.type} does not fit the protocol`, answer.error.issues.slice(0, 3));
        return { ok: false, error: `The background could not answer ${request.type}.` };
      }
      return { ok: true, value: answer.data };
    } catch (error) {
      console.error(`Handling ${request.type} failed`, error);
      return { ok: false, error: `The background could not answer ${request.type}.` };
    }
  };
}
