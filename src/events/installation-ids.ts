import type { Probot } from 'probot';

/** The id of every installation of the app, asked as the app itself (no installation token). */
export async function installationIds(app: Probot): Promise<number[]> {
  const octokit = await app.auth();
  const installations = (await octokit.paginate('GET /app/installations', { per_page: 100 })) as Array<{
    id: number;
  }>;
  return installations.map((i) => i.id);
}
