import type { Buffer } from 'node:buffer';

export function encodeFrame(type: number, id: number, payload: Buffer | string): Buffer;
export function frameReader(
  onFrame: (type: number, id: number, payload: Buffer) => void,
): (chunk: Buffer) => void;
