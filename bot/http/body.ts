// Reads a JSON request body: the size limit counts the decoded bytes (a small gzip body may
// inflate a thousandfold), nesting is bounded before parsing, and nothing touches the disk.
import type { IncomingMessage } from 'http';
import { promisify } from 'util';
import * as zlib from 'zlib';

export interface BodyLimits {
  /** Most bytes the body may have, before and after decoding. */
  maxBytes: number;
  /** Deepest nesting of objects and arrays. */
  maxDepth: number;
}

export class BodyError extends Error {
  constructor(readonly status: 400 | 413, readonly code: string, message: string) {
    super(message);
  }
}

const inflaters: Record<string, (b: Buffer, o: zlib.ZlibOptions) => Promise<Buffer>> = {
  gzip: promisify(zlib.gunzip),
  'x-gzip': promisify(zlib.gunzip),
  deflate: promisify(zlib.inflate),
};

/** The encodings a body may come in (the edge refuses others before anything is read). */
export const BODY_ENCODINGS = new Set(['', 'identity', ...Object.keys(inflaters)]);

const tooLarge = (limit: number) => new BodyError(413, 'body-too-large', `The request body is larger than ${Math.round(limit / 1024)} KB.`);

async function readRaw(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

/** Deepest nesting of `[` and `{` outside strings; stops counting once past `max`. */
export function jsonDepth(text: string, max: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > deepest && (deepest = depth) > max) return deepest;
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  return deepest;
}

export async function readJson(req: IncomingMessage, limits: BodyLimits): Promise<unknown> {
  const raw = await readRaw(req, limits.maxBytes);
  const encoding = String(req.headers['content-encoding'] ?? '').trim().toLowerCase();
  let bytes = raw;
  const inflate = inflaters[encoding];
  if (inflate) {
    try {
      bytes = await inflate(raw, { maxOutputLength: limits.maxBytes });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(limits.maxBytes);
      throw new BodyError(400, 'bad-encoding', `The request body is not valid ${encoding}.`);
    }
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  if (!text.trim()) throw new BodyError(400, 'bad-json', 'The request body is empty; it must be JSON.');
  if (jsonDepth(text, limits.maxDepth) > limits.maxDepth) throw new BodyError(400, 'too-deep', `The JSON is nested deeper than ${limits.maxDepth} levels.`);
  try {
    return JSON.parse(text);
  } catch {
    throw new BodyError(400, 'bad-json', 'The request body is not valid JSON.');
  }
}
