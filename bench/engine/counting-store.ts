/**
 * Wraps an object store to count what a pick reads, so the report can say whether a slow pick
 * read many objects or spent long on few. The wrapper forwards every call unchanged.
 */
export interface ReadCounts {
  commits: number;
  trees: number;
  blobs: number;
  blobBytes: number;
}

export function emptyCounts(): ReadCounts {
  return { commits: 0, trees: 0, blobs: 0, blobBytes: 0 };
}

export function countingStore<T extends object>(store: T, counts: () => ReadCounts): T {
  return new Proxy(store, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      const fn = value as (...args: unknown[]) => unknown;
      if (key === 'readCommit' || key === 'readTree') {
        return (...args: unknown[]) => {
          counts()[key === 'readCommit' ? 'commits' : 'trees']++;
          return fn.apply(target, args);
        };
      }
      if (key === 'readBlob') {
        return async (...args: unknown[]) => {
          const blob = (await fn.apply(target, args)) as Uint8Array;
          counts().blobs++;
          counts().blobBytes += blob.byteLength;
          return blob;
        };
      }
      return fn.bind(target);
    },
  });
}
