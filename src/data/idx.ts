/** Parser for the IDX format of the original MNIST files (big-endian header, unsigned-byte payload). */

export class DataFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataFormatError';
  }
}

export interface IdxArray {
  shape: number[];
  data: Uint8Array;
}

const UNSIGNED_BYTE = 0x08;

/** Parses an IDX file of unsigned bytes. `name` appears in every error message. */
export function parseIdx(bytes: Uint8Array, name: string, expectedDims?: number): IdxArray {
  if (bytes.length < 8) {
    throw new DataFormatError(`${name}: too short to hold an IDX header (${bytes.length} bytes)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint16(0) !== 0 || bytes[2] !== UNSIGNED_BYTE) {
    throw new DataFormatError(`${name}: bad IDX magic number (expected 0x0000 0x08 for unsigned bytes)`);
  }
  const dims = bytes[3];
  if (expectedDims !== undefined && dims !== expectedDims) {
    throw new DataFormatError(`${name}: expected ${expectedDims} dimensions, found ${dims}`);
  }
  const headerBytes = 4 + 4 * dims;
  if (bytes.length < headerBytes) throw new DataFormatError(`${name}: header is truncated`);
  const shape: number[] = [];
  for (let d = 0; d < dims; d++) shape.push(view.getUint32(4 + 4 * d));
  const size = shape.reduce((a, b) => a * b, 1);
  if (bytes.length !== headerBytes + size) {
    throw new DataFormatError(
      `${name}: expected ${headerBytes + size} bytes for shape [${shape.join(', ')}], found ${bytes.length}` +
        (bytes.length < headerBytes + size ? ' (file is truncated)' : ''),
    );
  }
  return { shape, data: bytes.subarray(headerBytes) };
}
