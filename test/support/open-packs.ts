import fs from 'node:fs';

/** Pack files this process holds open under `dir` (Linux: read from /proc/self/fd). */
export function openPacks(dir: string): string[] {
  return fs
    .readdirSync('/proc/self/fd')
    .map((fd) => {
      try {
        return fs.readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        // Closed between the listing and the read (the listing's own descriptor is).
        return '';
      }
    })
    .filter((target) => target.startsWith(dir) && target.endsWith('.pack'));
}
