/**
 * The simulated GitHub, for tests and the offline demo. Product code never imports this: the
 * app reaches it only over HTTP. Usage and the full API are in README.md beside this file.
 */
export { GitHubSim, startGitHubSim, type GitHubSimOptions, type GitServing } from './github-sim.js';
export type { CreatePullOptions, CreateRepoOptions, RepoInfo } from './sim-actions.js';
export type { CommitFilesOptions, AuthorInput } from './repo-store.js';
export type { MergeMethod } from './merge-pull.js';
export type { Fault, FaultSpec } from './faults.js';
export type { Delivery } from './webhooks.js';
export { examplePayload, withOverrides, sign } from './webhooks.js';
export type { PushLogEntry, RequestLogEntry, SimStats, Violation } from './sim-internals.js';
export type { Permission, SimCheckRun, SimComment, SimIssue, SimPullData, SimStatus } from './state.js';
