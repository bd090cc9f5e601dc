#!/bin/sh
# Builds, without a registry, the base images the Dockerfile and compose.yaml name, for a
# machine that reaches Debian's mirror but not Docker Hub (run as root on a Debian host):
#
#   node:20-bookworm-slim   a debootstrap'd bookworm (minbase) with the host's Node 20 and npm
#                           in the official image's places (/usr/local) and its `node` user
#                           (uid/gid 1000), so the Dockerfile builds unchanged.
#   backport-offline/postgres:15-bookworm
#                           Debian's PostgreSQL 15 (the version CI tests against) with an
#                           entrypoint that honours POSTGRES_USER/PASSWORD/DB like the official
#                           image; scripts/docker-smoke.sh points compose at it in an override.
#
# Usage: scripts/docker-offline-bases.sh [workdir]   (default: /var/tmp/backport-docker-bases)
# Where Docker Hub is reachable, none of this is needed: `docker pull node:20-bookworm-slim`.
set -eu

work=${1:-/var/tmp/backport-docker-bases}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
mkdir -p "$work"
rootfs=$work/rootfs

node_bin=$(readlink -f "$(command -v node)")
npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
case $("$node_bin" --version) in
  v20.*) ;;
  *) echo "the host's node is $("$node_bin" --version), not Node 20" >&2; exit 1 ;;
esac

if [ ! -x "$rootfs/bin/sh" ]; then
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror"
fi

# The official debian:bookworm image's sources: the release, its updates, security.
rm -f "$rootfs/etc/apt/sources.list"
cat > "$rootfs/etc/apt/sources.list.d/debian.sources" <<SOURCES
Types: deb
URIs: $mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
rm -rf "$rootfs/var/lib/apt/lists/"* "$rootfs/var/cache/apt/archives/"*.deb

# Node and npm where the official node image has them.
install -D -m 0755 "$node_bin" "$rootfs/usr/local/bin/node"
rm -rf "$rootfs/usr/local/lib/node_modules/npm"
mkdir -p "$rootfs/usr/local/lib/node_modules"
cp -a "$npm_dir" "$rootfs/usr/local/lib/node_modules/npm"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
# Node's headers, as in the official image: without GitHub (prebuilt binaries) or nodejs.org
# (headers), node-gyp builds better-sqlite3 against these.
rm -rf "$rootfs/usr/local/include/node"
mkdir -p "$rootfs/usr/local/include"
cp -a "$(dirname "$(dirname "$node_bin")")/include/node" "$rootfs/usr/local/include/node"
# npm's built-in configuration: the headers above, and the host's CA bundle when the host
# reaches the npm registry through a TLS-intercepting proxy (npm's `cafile`).
printf 'nodedir=/usr/local\n' > "$rootfs/usr/local/lib/node_modules/npm/npmrc"
cafile=$(npm config get cafile)
if [ -n "$cafile" ] && [ "$cafile" != null ] && [ -f "$cafile" ]; then
  install -D -m 0644 "$cafile" "$rootfs/usr/local/etc/npm-ca.crt"
  printf 'cafile=/usr/local/etc/npm-ca.crt\n' >> "$rootfs/usr/local/lib/node_modules/npm/npmrc"
fi
if ! chroot "$rootfs" getent passwd node > /dev/null; then
  chroot "$rootfs" groupadd --gid 1000 node
  chroot "$rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
fi

tar -C "$rootfs" --numeric-owner -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["node"]' \
  --message "offline stand-in for node:20-bookworm-slim (host node $("$node_bin" --version))" \
  - node:20-bookworm-slim

# PostgreSQL 15 from Debian on that base (over the host's network: the daemon may have no NAT).
pg=$work/postgres
mkdir -p "$pg"
cat > "$pg/Dockerfile" <<'DOCKERFILE'
FROM node:20-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-15 \
  && rm -rf /var/lib/apt/lists/* \
  && mkdir -p /var/lib/postgresql/data /run/postgresql \
  && chown postgres:postgres /var/lib/postgresql/data /run/postgresql
ENV PATH=/usr/lib/postgresql/15/bin:$PATH PGDATA=/var/lib/postgresql/data
COPY entrypoint.sh /usr/local/bin/
USER postgres
VOLUME ["/var/lib/postgresql/data"]
EXPOSE 5432
ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]
DOCKERFILE
cat > "$pg/entrypoint.sh" <<'ENTRYPOINT'
#!/bin/sh
# The official postgres image's interface, the part compose.yaml uses.
set -eu
user=${POSTGRES_USER:-postgres}
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  printf '%s\n' "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD is required}" > /tmp/pwfile
  initdb -D "$PGDATA" -U "$user" --pwfile=/tmp/pwfile --auth-local=trust --auth-host=scram-sha-256
  rm /tmp/pwfile
  echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
  db=${POSTGRES_DB:-$user}
  if [ "$db" != postgres ]; then
    postgres --single -D "$PGDATA" -c listen_addresses='' postgres <<SQL
CREATE DATABASE "$db" OWNER "$user";
SQL
  fi
fi
exec postgres -D "$PGDATA" -c listen_addresses='*'
ENTRYPOINT
chmod 0755 "$pg/entrypoint.sh"
docker build --network host -t backport-offline/postgres:15-bookworm "$pg"
