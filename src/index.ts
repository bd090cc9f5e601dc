import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { run, type ApplicationFunctionOptions, type Probot } from 'probot';
import { checkWebhookSecret, readSettings, type AppSettings } from './app-settings.js';
import type { Database } from './database/database.js';
import { openDatabase } from './database/open-database.js';
import { BackportOctokit } from './events/backport-octokit.js';
import { onBackportCommand } from './events/backport-command-events.js';
import { onBackportEvents } from './events/backport-events.js';
import { onBackportPullEvents } from './events/backport-pull-events.js';
import { onOwnPullEvents } from './events/own-pull-events.js';
import { onPreviewEvents } from './events/preview-events.js';
import { metrics } from './common/metrics.js';
import { createOpsHandler } from './events/ops-handler.js';
import { jobPorts } from './events/job-access.js';
import { startLedger } from './events/start-ledger.js';
import { BackportService } from './jobs/backport-service.js';
import type { LedgerService } from './ledger/ledger-service.js';

/**
 * The Probot entry point. It only wires events to handlers; the work happens in the
 * pipeline (src/jobs) and the release managers' ledger (src/ledger), which never import Probot.
 */
export function createBackportApp(settings: AppSettings = readSettings(process.env)) {
  let service: BackportService | undefined;
  let ledger: LedgerService | undefined;
  let database: Database | undefined;
  const appFn = async (app: Probot, options?: ApplicationFunctionOptions) => {
    const db = openDatabase(settings.database ?? { sqlitePath: path.join(settings.cacheDir, 'jobs.sqlite') });
    database = db;
    app.log.info({ database: db.description }, 'job queue');
    service = await BackportService.start({
      ...settings,
      database: db,
      ports: jobPorts(app),
      log: settings.log ?? app.log,
    });
    onBackportEvents(app, service);
    onBackportCommand(app, service);
    onOwnPullEvents(app, service);
    onPreviewEvents(app, service);
    onBackportPullEvents(app, service);
    const ops = createOpsHandler({
      registry: metrics.registry,
      ready: async () => (await db.ping()) && ((await ledger?.store.ping()) ?? true),
    });
    try {
      options?.addHandler(ops);
    } catch {
      // Loaded without a server (a serverless adapter): no health or metrics endpoints.
    }
    if (settings.ledger)
      ledger = await startLedger(
        app,
        options,
        { ...settings.ledger, cacheDir: settings.cacheDir, now: settings.now },
        service,
        db,
      );
    if (settings.handleSignals) stopOnSignals(app, service, db, settings.jobs?.shutdownMs ?? 30_000);
  };
  return {
    appFn,
    /** Resolves once every queued backport has finished (for the demo and the tests). */
    idle: () => service?.idle() ?? Promise.resolve(),
    /** The release managers' ledger once the app is loaded; undefined when switched off. */
    ledger: () => ledger,
    /** The pipeline once the app is loaded (its job counters, for metrics and tests). */
    service: () => service,
    /**
     * Stops taking jobs, lets running ones finish up to `deadlineMs`, runs the ledger's pending
     * updates and closes it, then closes the database (the ledger may live in it).
     */
    stop: async (deadlineMs = 0) => {
      const result = (await service?.stop(deadlineMs)) ?? { finished: 0, requeued: 0 };
      await ledger?.close();
      await database?.close();
      return result;
    },
  };
}

/**
 * SIGTERM or SIGINT: take no new job, let running ones finish up to the deadline, leave the
 * rest queued for the next start, then exit. A second signal exits at once.
 */
function stopOnSignals(app: Probot, service: BackportService, database: Database, deadlineMs: number): void {
  const onSignal = (signal: NodeJS.Signals) => {
    app.log.info({ signal, deadlineMs }, 'stopping: running jobs may finish, the rest stay queued');
    process.once(signal, () => process.exit(1));
    // The ledger keeps only facts, so its pending tracking updates need not hold up the exit:
    // the next event of the repository runs them again.
    void (async () => {
      const result = await service.stop(deadlineMs);
      await database.close();
      return result;
    })().then(
      (result) => {
        app.log.info(result, 'stopped');
        process.exit(0);
      },
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}

/**
 * What `probot run` loads. The settings are read when Probot loads the app, not when this
 * module is imported, so a missing WEBHOOK_SECRET stops `probot run` and nothing else.
 */
export default function backportApp(app: Probot, options?: ApplicationFunctionOptions): Promise<void> {
  checkWebhookSecret(process.env);
  return createBackportApp().appFn(app, options);
}

// `node lib/index.js` (npm start, the Docker image): Probot's server with the app's one
// Octokit (events/backport-octokit.ts), so production retries exactly as the tests do.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void run(backportApp, { Octokit: BackportOctokit });
}
