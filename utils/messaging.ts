import { browser } from 'wxt/browser';
import {
  backgroundRequests,
  type BackgroundRequest,
  type BackgroundRequestType,
  type BackgroundResponse,
} from './protocol';
import { z } from './zod';

const envelopeSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: z.string().max(2000) }),
]);

export class MessageError extends Error {
  override name = 'MessageError';
}

/** Sends a request to the background and checks the answer against the protocol before use. */
export async function sendToBackground<T extends BackgroundRequestType>(
  request: BackgroundRequest<T> & { type: T },
): Promise<BackgroundResponse<T>> {
  const spec = backgroundRequests[request.type];
  const outgoing = spec.request.parse(request);
  const raw: unknown = await browser.runtime.sendMessage(outgoing);
  const envelope = envelopeSchema.safeParse(raw);
  if (!envelope.success) throw new MessageError(`Malformed answer to ${request.type}`);
  if (!envelope.data.ok) throw new MessageError(envelope.data.error);
  const value = spec.response.safeParse(envelope.data.value);
  if (!value.success) throw new MessageError(`Answer to ${request.type} does not fit the protocol`);
  return value.data as BackgroundResponse<T>;
}
