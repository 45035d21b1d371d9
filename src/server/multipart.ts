/**
 * A `multipart/form-data` body (RFC 7578), as a browser posts a form with a
 * file input: its text fields and its files as bytes (a CSV in GBK must reach
 * the decoder as it was). Bounded: a body over `max` bytes is refused whole.
 */
import type { IncomingMessage } from 'node:http';
import { readBody } from './page-response.js';

export interface MultipartForm {
  fields: URLSearchParams;
  files: Map<string, { filename: string; bytes: Buffer }>;
}

export async function readMultipart(req: IncomingMessage, max: number): Promise<MultipartForm> {
  const body = await readBody(req, max);
  const type = String(req.headers['content-type'] ?? '');
  const boundary = /;\s*boundary="?([^";]+)"?/i.exec(type)?.[1];
  const form: MultipartForm = { fields: new URLSearchParams(), files: new Map() };
  if (!/^multipart\/form-data/i.test(type) || !boundary) return form;
  const delimiter = Buffer.from(`--${boundary}`);
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    // A part: CRLF, headers, CRLF CRLF, content, CRLF (before the next delimiter).
    const part = body.subarray(start + 2, next - 2);
    const split = part.indexOf('\r\n\r\n');
    if (split >= 0) {
      const headers = part.subarray(0, split).toString('utf8');
      const content = part.subarray(split + 4);
      const name = /name="([^"]*)"/i.exec(headers)?.[1];
      const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
      if (name !== undefined) {
        if (filename !== undefined) form.files.set(name, { filename, bytes: Buffer.from(content) });
        else form.fields.append(name, content.toString('utf8'));
      }
    }
    at = next;
  }
  return form;
}
