import type { Probot } from 'probot';
import type { LedgerService } from '../ledger/ledger-service.js';
import { guard, repoRef } from './ledger-events.js';

/**
 * Installation and repository webhooks → the ledger. A new installation (or repositories
 * added to one) is read back from GitHub; removed ones are forgotten; a repository made
 * private or public changes who may see its dashboard page, so that is recorded at once.
 * GitHub sends installation events to every app; `repository` must be subscribed to.
 */
export function onLedgerInstallationEvents(app: Probot, ledger: LedgerService): void {
  app.on(
    ['installation.created', 'installation.new_permissions_accepted', 'installation.unsuspend'],
    (context) =>
      guard(context, () =>
        ledger.onInstalled(
          context.payload.installation.id,
          context.payload.repositories?.map((r) => r.full_name),
        ),
      ),
  );

  app.on('installation_repositories.added', (context) =>
    guard(context, () =>
      ledger.onInstalled(
        context.payload.installation.id,
        context.payload.repositories_added.map((r) => r.full_name),
      ),
    ),
  );

  app.on('installation_repositories.removed', (context) =>
    guard(context, () => ledger.onUninstalled(context.payload.repositories_removed.map((r) => r.full_name))),
  );

  app.on(['installation.deleted', 'installation.suspend'], (context) =>
    guard(context, async () => {
      const account = context.payload.installation.account;
      const owner = (account && 'login' in account ? account.login : '').toLowerCase();
      // The payload lists the repositories only for a selection; else, all of the owner's.
      const listed = context.payload.repositories?.map((r) => r.full_name);
      const repos =
        listed ??
        (await ledger.store.repos())
          .map((r) => r.repo)
          .filter((r) => r.toLowerCase().startsWith(`${owner}/`));
      await ledger.onUninstalled(repos);
    }),
  );

  app.on(['repository.privatized', 'repository.publicized', 'repository.edited'], (context) =>
    guard(context, () => ledger.onRepository(repoRef(context))),
  );

  app.on(['repository.renamed', 'repository.transferred'], (context) =>
    guard(context, async () => {
      const { payload } = context;
      const changes = payload.changes as {
        repository?: { name?: { from?: string } };
        owner?: { from?: { user?: { login?: string }; organization?: { login?: string } } };
      };
      const name = changes.repository?.name?.from ?? payload.repository.name;
      const from = changes.owner?.from;
      const owner = from?.user?.login ?? from?.organization?.login ?? payload.repository.owner.login;
      await ledger.onUninstalled([`${owner}/${name}`]);
      await ledger.onRepository(repoRef(context));
    }),
  );

  app.on('repository.deleted', (context) =>
    guard(context, () => ledger.onUninstalled([context.payload.repository.full_name])),
  );
}
