import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

/**
 * A V8 CPU profile of this process between start() and stop(), written where
 * summarizeCpuProfile can read it. The app and the simulator share the process, so both
 * appear; the summary's areas tell them apart (src/…, tools/github-sim, dependencies).
 */
export class CpuProfiler {
  private readonly session = new Session();

  async start(): Promise<void> {
    this.session.connect();
    await this.session.post('Profiler.enable');
    await this.session.post('Profiler.setSamplingInterval', { interval: 1000 });
    await this.session.post('Profiler.start');
  }

  async stop(path: string): Promise<void> {
    const { profile } = await this.session.post('Profiler.stop');
    writeFileSync(path, JSON.stringify(profile));
    await this.session.post('Profiler.disable');
    this.session.disconnect();
  }
}
