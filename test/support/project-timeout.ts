/**
 * Jest 30 reads `testTimeout` from the global configuration only, so a project's own timeout
 * (set in jest.config.js as `globals.projectTimeout`) is applied here, before its suites run.
 */
import { jest } from '@jest/globals';

const timeout = (globalThis as { projectTimeout?: unknown }).projectTimeout;
if (typeof timeout === 'number') jest.setTimeout(timeout);
