// Real repositories built with the real git binary, with fixed dates so runs are repeatable.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class GitFixture {
  private clock = Date.UTC(2024, 0, 1) / 1000;

  constructor(readonly dir: string) {}

  git(...args: string[]): string {
    this.clock += 60;
    const date = `@${this.clock} +0000`;
    return execFileSync('git', args, {
      cwd: this.dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'Ada',
        GIT_AUTHOR_EMAIL: 'ada@example.com',
        GIT_COMMITTER_NAME: 'Ada',
        GIT_COMMITTER_EMAIL: 'ada@example.com',
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_DATE: date,
        GIT_CONFIG_NOSYSTEM: '1',
        HOME: this.dir,
      },
    }).trim();
  }

  /** Sets the next commits' date (seconds since the epoch, minus one minute per command). */
  setClock(seconds: number): void {
    this.clock = seconds;
  }

  init(branch = 'main'): this {
    this.git('init', '-q', '-b', branch);
    return this;
  }

  /** Writes `file` and commits it with `message`; returns the new commit id. */
  commit(message: string, file: string, content = `${message}\n`): string {
    writeFileSync(join(this.dir, file), content);
    this.git('add', file);
    this.git('commit', '-q', '-m', message);
    return this.git('rev-parse', 'HEAD');
  }
}
