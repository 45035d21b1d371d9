/**
 * Sample uploads for tests of the fakes and of the clients that use them: the smallest byte
 * strings each API's type check accepts (only the magic bytes matter), padded to any size.
 */
const MAGIC = {
  png: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  jpeg: [0xff, 0xd8, 0xff, 0xe0],
  gif: [0x47, 0x49, 0x46, 0x38, 0x39, 0x61],
  bmp: [0x42, 0x4d],
} as const;

/** An "image" of `type` that is `size` bytes long (default 64): the magic bytes, then zeros. */
export function sampleImage(type: keyof typeof MAGIC, size = 64): Buffer {
  const bytes = Buffer.alloc(Math.max(size, MAGIC[type].length));
  Buffer.from(MAGIC[type]).copy(bytes);
  return bytes;
}

/** A multipart body with one file part and optional text fields, as a client's fetch would send it. */
export function multipart(field: string, file: Buffer, filename = 'image.bin', fields: Record<string, string> = {}): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append(field, new Blob([new Uint8Array(file)]), filename);
  return form;
}
