import type { ApplicationFunctionOptions, Probot } from 'probot';
import { readSettings, type AppSettings } from './app-settings.js';
import { onBackportCommand } from './events/backport-command.js';
import { onBackportEvents } from './events/backport-events.js';
import { BackportService } from './run/backport-service.js';

/**
 * The Probot entry point. It only wires events to handlers; the work happens in the
 * pipeline (src/run), which never imports Probot.
 */
export function createBackportApp(settings: AppSettings = readSettings(process.env)) {
  let service: BackportService | undefined;
  const appFn = (app: Probot, _options?: ApplicationFunctionOptions) => {
    service = new BackportService({ ...settings, log: app.log });
    onBackportEvents(app, service);
    onBackportCommand(app, service);
  };
  return {
    appFn,
    /** Resolves once every queued backport has finished (for the demo and the tests). */
    idle: () => service?.idle() ?? Promise.resolve(),
  };
}

export default createBackportApp().appFn;
