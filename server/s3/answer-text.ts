import type { ListObjectVersionsCommand } from '@aws-sdk/client-s3';

/** What a middleware sees of the store's answer before the SDK reads it. */
interface RawAnswer {
  response?: { body?: unknown };
}

const isRawAnswer = (value: unknown): value is RawAnswer => typeof value === 'object' && value !== null;

async function bytesOf(body: unknown): Promise<Uint8Array | undefined> {
  if (body instanceof Uint8Array) return body;
  if (typeof body !== 'object' || body === null || !(Symbol.asyncIterator in body)) return undefined;
  const chunks: Uint8Array[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
    chunks.push(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * Keeps the text of the answer to `command` (read once, then handed on to the SDK as bytes), for what
 * the SDK's parsed output loses: the order of ListObjectVersions' <Version> and <DeleteMarker> entries,
 * which it splits into two arrays. `text()` is undefined until the answer came (or if it had no body).
 */
export function keepAnswerText(command: ListObjectVersionsCommand): { text: () => string | undefined } {
  let text: string | undefined;
  command.middlewareStack.add(
    (next) => async (args) => {
      const result: unknown = await next(args);
      if (isRawAnswer(result) && result.response) {
        const bytes = await bytesOf(result.response.body);
        if (bytes) {
          text = new TextDecoder().decode(bytes);
          result.response.body = bytes;
        }
      }
      return result as Awaited<ReturnType<typeof next>>;
    },
    // Inside the SDK's deserializer: the answer as it came, before it is parsed.
    { step: 'deserialize', priority: 'low', name: 'hoistKeepAnswerText' },
  );
  return { text: () => text };
}
