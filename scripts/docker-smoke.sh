#!/bin/sh
# Checks the Docker image and compose.yaml on a running Docker daemon (not part of `npm test`
# or .ci/run, which never need Docker):
#
#   1. the image builds from this checkout;
#   2. it runs as a user other than root, and the code is not writable by it;
#   3. it refuses to start without WEBHOOK_SECRET;
#   4. started alone, it answers GET /healthz on its published port, Docker's HEALTHCHECK
#      turns "healthy" (first probe after 30 s), and `docker stop` ends it cleanly (exit 0);
#   5. compose.yaml: PostgreSQL and both instances healthy, each instance connected to it;
#   6. compose.yaml against the simulated GitHub (scripts/docker-sim-check.ts): webhooks to the
#      first instance only, every backport made once, and both instances ran jobs.
#
# Usage: scripts/docker-smoke.sh            (from a checkout with `npm ci` done)
# Environment:
#   BPA_BUILD_NETWORK    network for the builds (`host` when the daemon's bridge has no NAT)
#   BPA_POSTGRES_IMAGE   instead of compose.yaml's postgres image (an offline stand-in, see
#                        scripts/docker-offline-bases.sh)
#   BPA_COMPOSE          the compose command (default: `docker compose`, else `docker-compose`)
#   BPA_SKIP_SIM=1       skip step 6
# Uses host ports 3001 and 3002 (compose.yaml's) and a random one; removes what it creates.
set -eu
cd "$(dirname "$0")/.."

image=backport-assistant-smoke
single=bpa-smoke-single-$$
project=bpa-smoke-$$
work=$(mktemp -d)
if [ -z "${BPA_COMPOSE:-}" ]; then
  if docker compose version > /dev/null 2>&1; then BPA_COMPOSE='docker compose'; else BPA_COMPOSE=docker-compose; fi
fi
export BPA_COMPOSE

compose() {
  # shellcheck disable=SC2086 # BPA_COMPOSE may be two words
  $BPA_COMPOSE -p "$project" -f "$work/compose.yaml" "$@"
}
cleanup() {
  docker rm -f "$single" > /dev/null 2>&1 || true
  docker volume rm "$single-cache" > /dev/null 2>&1 || true
  [ -f "$work/compose.yaml" ] && compose down -v --remove-orphans --rmi local > /dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
step() { echo "== $*"; }

# Waits until a container's health status is $2 (up to $3 seconds).
wait_health() {
  i=0
  while [ "$(docker inspect -f '{{.State.Health.Status}}' "$1")" != "$2" ]; do
    i=$((i + 2))
    [ "$i" -le "$3" ] || fail "$1 is $(docker inspect -f '{{.State.Health.Status}}' "$1") after $3 s, not $2"
    sleep 2
  done
  echo "$(docker inspect -f '{{.Name}}' "$1" | tr -d /): $2 after ~$i s"
}

step "1. build"
docker build ${BPA_BUILD_NETWORK:+--network "$BPA_BUILD_NETWORK"} -t "$image" . > "$work/build.log" 2>&1 \
  || { tail -30 "$work/build.log"; fail "docker build"; }
docker image inspect -f 'image {{.Id}}, {{.Size}} bytes' "$image"

step "2. non-root"
uid=$(docker run --rm --entrypoint id "$image" -u)
[ "$uid" != 0 ] || fail "the image runs as root"
docker run --rm --entrypoint sh "$image" -c 'touch /app/lib/x' 2> /dev/null && fail "the code is writable by the app's user"
echo "runs as uid $uid; /app is read-only to it"

# A throwaway App key: Probot needs one to start; nothing here talks to GitHub.
key=$(node -e "const {generateKeyPairSync}=require('node:crypto');process.stdout.write(generateKeyPairSync('rsa',{modulusLength:2048}).privateKey.export({type:'pkcs1',format:'pem'}))")

step "3. refuses to start without WEBHOOK_SECRET"
if docker run --rm -e APP_ID=1 -e PRIVATE_KEY="$key" "$image" > "$work/refuse.log" 2>&1; then
  fail "it started without WEBHOOK_SECRET"
fi
grep -q 'WEBHOOK_SECRET is not set' "$work/refuse.log" || { cat "$work/refuse.log"; fail "exited, but not for WEBHOOK_SECRET"; }
grep -o 'The app will not start: WEBHOOK_SECRET[^.]*' "$work/refuse.log"

step "4. one container: /healthz, HEALTHCHECK, docker stop"
docker run -d --name "$single" -p 127.0.0.1::3000 -e APP_ID=1 -e PRIVATE_KEY="$key" -e WEBHOOK_SECRET=smoke \
  -v "$single-cache:/var/cache/backport-assistant" "$image" > /dev/null
port=$(docker port "$single" 3000/tcp | head -n 1 | sed 's/.*://')
i=0
until body=$(curl -fsS "http://127.0.0.1:$port/healthz" 2> /dev/null); do
  i=$((i + 1))
  [ "$i" -le 60 ] || { docker logs "$single" 2>&1 | tail -20; fail "no /healthz on the published port $port"; }
  sleep 1
done
echo "GET /healthz on the published port: $body"
echo "$body" | grep -q '"database":"reachable"' || fail "the database is not reachable"
pid1=$(docker exec "$single" awk '/^Uid:/ { print $2 }' /proc/1/status)
[ "$pid1" = "$uid" ] || fail "the app process runs as uid $pid1, not $uid"
echo "the app (PID 1 in the container) runs as uid $pid1"
wait_health "$single" healthy 90
docker stop "$single" > /dev/null
code=$(docker inspect -f '{{.State.ExitCode}}' "$single")
[ "$code" = 0 ] || fail "docker stop: exit code $code"
docker logs "$single" 2>&1 | grep -q '"msg":"stopped"' || fail "no graceful stop in the logs"
echo "docker stop: exit 0 after the graceful stop"

step "5. compose.yaml: PostgreSQL and two instances"
KEY="$key" node -e "process.stdout.write('APP_ID=1\nWEBHOOK_SECRET=smoke\nPRIVATE_KEY=\"' + process.env.KEY.trim().split('\n').join('\\\\n') + '\"\n')" > "$work/.env"
# compose.yaml as shipped, with only the build context (and the postgres image or the build
# network, when asked) set in a copy next to the .env.
node --input-type=module -e "
  import fs from 'node:fs';
  import YAML from 'yaml';
  const file = YAML.parse(fs.readFileSync('compose.yaml', 'utf8'), { merge: true });
  const network = process.env.BPA_BUILD_NETWORK;
  for (const [name, service] of Object.entries(file.services)) {
    if (name !== 'postgres') service.build = network ? { context: process.cwd(), network } : process.cwd();
    else if (process.env.BPA_POSTGRES_IMAGE) service.image = process.env.BPA_POSTGRES_IMAGE;
  }
  fs.writeFileSync(process.argv[1], YAML.stringify(file));
" "$work/compose.yaml"
compose up -d --build > "$work/compose.log" 2>&1 || { tail -30 "$work/compose.log"; fail "compose up"; }
for service in postgres app-1 app-2; do
  wait_health "$(compose ps -q "$service")" healthy 120
done
for p in 3001 3002; do
  echo "GET /healthz on $p: $(curl -fsS "http://127.0.0.1:$p/healthz")"
done
grace=$(docker inspect -f '{{.Config.StopTimeout}}' "$(compose ps -q app-1)")
[ "$grace" -ge 30 ] || fail "docker stop kills an instance after $grace s, before BACKPORT_SHUTDOWN_MS (30 s)"
echo "docker stop waits $grace s for an instance"
pg=$(compose ps -q postgres)
clients=$(docker exec "$pg" psql -U backport -d backport -Atc \
  "SELECT count(DISTINCT client_addr) FROM pg_stat_activity WHERE datname = 'backport' AND client_addr IS NOT NULL")
[ "$clients" = 2 ] || fail "$clients instance(s) connected to PostgreSQL, not 2"
echo "both instances connected to PostgreSQL; its tables: $(docker exec "$pg" psql -U backport -d backport -Atc \
  "SELECT string_agg(tablename, ' ' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public'")"
compose down -v --remove-orphans --rmi local > /dev/null 2>&1

if [ "${BPA_SKIP_SIM:-}" != 1 ]; then
  step "6. compose.yaml against the simulated GitHub"
  npx tsx scripts/docker-sim-check.ts
fi
echo "docker smoke: PASS"
