#!/usr/bin/env bash
# Rehearse docs/deploying.md on this machine, for real, and leave the machine as it found it.
# What it does, step by step, is the guide's section 9; CI runs it as root (.ci/run).
#
#   deploy/rehearse.sh          # as root, from a checkout, PostgreSQL and Redis running
#
# The blocks between "# guide: NAME" and "# end guide" are the guide's blocks marked
# "<!-- rehearsed: NAME -->", word for word (tests/test_deploy_guide.py fails when they part).
# The .env example, the systemd units and the cron line are read from the guide itself, and
# nginx loads deploy/nginx.conf.example, so what runs here is what the guide tells a reader.
#
# Environment (all optional): REHEARSAL_DB (fitness_rehearsal: its database and role),
# REHEARSAL_REDIS_DB (11), REHEARSAL_WEB_PORT (18000), REHEARSAL_POSTING_PORT (18001),
# REHEARSAL_HTTP_PORT (18080),
# REHEARSAL_HTTPS_PORT (18443), REHEARSAL_EMULATOR_PORT (18765), PGHOST (127.0.0.1),
# PGPORT (5432), PGUSER (postgres), REDIS_HOST (127.0.0.1), REDIS_PORT (6379).
set -euo pipefail

CHECKOUT=$(cd "$(dirname "$0")/.." && pwd)
GUIDE=$CHECKOUT/docs/deploying.md
DB=${REHEARSAL_DB:-fitness_rehearsal}
REDIS_DB=${REHEARSAL_REDIS_DB:-11}
WEB_PORT=${REHEARSAL_WEB_PORT:-18000}
POSTING_PORT=${REHEARSAL_POSTING_PORT:-18001}
HTTP_PORT=${REHEARSAL_HTTP_PORT:-18080}
HTTPS_PORT=${REHEARSAL_HTTPS_PORT:-18443}
EMULATOR_PORT=${REHEARSAL_EMULATOR_PORT:-18765}
SMTP_PORT=18025 # nothing listens there: no email can leave
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
REDIS_HOST=${REDIS_HOST:-127.0.0.1}
REDIS_PORT=${REDIS_PORT:-6379}
HOSTNAME_=fitness.example.com
SECURE_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
CACHE_PREFIX="fitness-rehearsal-$$"

step() { printf '\n---- rehearsal: %s\n' "$*"; }
fail() {
  echo "REHEARSAL FAILED: $*" >&2
  exit 1
}

[ "$(id -u)" = 0 ] || fail "run as root (it creates a system user and /srv/fitness)"
[[ $DB =~ ^[a-z_][a-z0-9_]*$ ]] || fail "REHEARSAL_DB must be a plain lower-case name"
exec 9>/run/fitness-rehearsal.lock
flock -n 9 || fail "another rehearsal is running"
getent passwd fitness >/dev/null && fail "a fitness user exists: not touching a real install"
getent group fitness >/dev/null && fail "a fitness group exists: not touching a real install"
[ -e /srv/fitness ] && fail "/srv/fitness exists: not touching a real install"
for port in "$WEB_PORT" "$POSTING_PORT" "$HTTP_PORT" "$HTTPS_PORT" "$EMULATOR_PORT" "$SMTP_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then fail "port $port is in use"; fi
done
pg_isready -q || fail "PostgreSQL is not answering on $PGHOST:$PGPORT"
redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping | grep -q PONG || fail "Redis is not answering"
exists=$(psql -Atc "SELECT count(*) FROM pg_database WHERE datname = '$DB'")
exists=$((exists + $(psql -Atc "SELECT count(*) FROM pg_roles WHERE rolname = '$DB'")))
[ "$exists" = 0 ] || fail "database or role $DB exists already"

RUN=$(mktemp -d /tmp/fitness-rehearsal.XXXXXX)
chmod 755 "$RUN"
PIDS=()
CREATED_USER="" CREATED_DB="" NGINX_STARTED="" POLICY_RC_D=""

cleanup() {
  local rc=$?
  set +e
  cd /
  step "cleaning up"
  if [ -n "$NGINX_STARTED" ] && [ -s "$RUN/nginx.pid" ]; then
    kill -QUIT "$(cat "$RUN/nginx.pid")" 2>/dev/null
  fi
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && { echo "process $pid ignored TERM; killing it"; kill -KILL "$pid"; }
    wait "$pid" 2>/dev/null
  done
  if [ -n "$CREATED_USER" ]; then
    # Anything still running as the user this script created was started by this script.
    left=$(pgrep -u fitness || true)
    if [ -n "$left" ]; then
      echo "still running as fitness: $left; stopping them"
      # shellcheck disable=SC2086
      kill -KILL $left
      rc=1
    fi
  fi
  if [ -n "$CREATED_DB" ]; then
    psql -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" && psql -qc "DROP ROLE IF EXISTS $DB"
  fi
  redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" -n "$REDIS_DB" --scan --pattern "$CACHE_PREFIX*" |
    xargs -r redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" -n "$REDIS_DB" del >/dev/null
  if [ -n "$CREATED_USER" ]; then
    userdel fitness 2>/dev/null
    getent group fitness >/dev/null && groupdel fitness
    rm -rf /srv/fitness
  fi
  [ -n "$POLICY_RC_D" ] && rm -f /usr/sbin/policy-rc.d
  if [ "$rc" != 0 ]; then
    for log in "$RUN"/*.log; do
      [ -s "$log" ] && { echo "== last lines of $log"; tail -n 30 "$log"; }
    done
  fi
  rm -rf "$RUN" /run/fitness-rehearsal.lock
  # Clean means: no user, no folder, no database, no process, no key left behind.
  getent passwd fitness >/dev/null && { echo "LEFT: the fitness user"; rc=1; }
  [ -e /srv/fitness ] && { echo "LEFT: /srv/fitness"; rc=1; }
  [ "$(psql -Atc "SELECT count(*) FROM pg_database WHERE datname = '$DB'")" = 0 ] ||
    { echo "LEFT: database $DB"; rc=1; }
  if [ "$rc" = 0 ]; then
    echo "REHEARSAL PASSED in ${SECONDS}s; the machine is as it was"
  else
    echo "REHEARSAL FAILED (exit $rc) after ${SECONDS}s"
  fi
  exit "$rc"
}
trap cleanup EXIT

# The guide's `sudo`: the real one where it is installed; else, as root, a stand-in that does
# what sudo -u does by default (a clean environment with sudo's secure_path, the user's ids).
if ! command -v sudo >/dev/null; then
  sudo() {
    if [ "$1" != -u ]; then
      "$@"
      return
    fi
    local user=$2 home
    shift 2
    home=$(getent passwd "$user" | cut -d: -f6)
    env -i HOME="$home" USER="$user" LOGNAME="$user" SHELL=/bin/sh PATH="$SECURE_PATH" \
      LANG=C.UTF-8 setpriv --reuid="$user" --regid="$user" --init-groups env "$@"
  }
fi

# The guide's fenced block after a marker line, e.g. guide_block '<!-- env-example -->'.
guide_block() {
  awk -v marker="$1" '
    $0 == marker { found = 1; next }
    found && /^```/ { if (inside) exit; inside = 1; next }
    inside { print }
  ' "$GUIDE"
}

step "nginx (Debian's package)"
if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    # Install without starting Debian's nginx on port 80: this rehearsal runs its own.
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    POLICY_RC_D=1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
  if [ -n "$POLICY_RC_D" ]; then rm -f /usr/sbin/policy-rc.d; POLICY_RC_D=""; fi
fi
PATH=$PATH:/usr/sbin
nginx -v

step "1. the system user and its home (guide: user)"
CREATED_USER=1
# guide: user
sudo adduser --system --group --home /srv/fitness --shell /usr/sbin/nologin fitness
# end guide
[ -d /srv/fitness ] && [ "$(stat -c %U /srv/fitness)" = fitness ] || fail "no /srv/fitness for fitness"
[ -z "$(ls -A /srv/fitness)" ] || fail "/srv/fitness is not empty: the guide's git clone would refuse"

step "1. the code (the checkout under test, in place of git clone)"
(cd "$CHECKOUT" && git ls-files -co --exclude-standard -z |
  tar --null --ignore-failed-read -T - -cf -) | sudo -u fitness tar -x -C /srv/fitness

step "1. install (guide: install)"
# guide: install
cd /srv/fitness
sudo -u fitness make install
# end guide

step "1. the database and its owner (a role of the rehearsal's own)"
DB_PASSWORD=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')
CREATED_DB=1
psql -qc "CREATE ROLE $DB LOGIN PASSWORD '$DB_PASSWORD'"
psql -qc "CREATE DATABASE $DB OWNER $DB"

step "2. .env from the guide's example"
guide_block '<!-- env-example -->' >"$RUN/env.example"
grep -q '^DEFAULT_FROM_EMAIL=' "$RUN/env.example" || fail "no .env example found in the guide"
# The values on standard input, not as arguments: DATABASE_URL holds the role's password.
KEY=$(head -c 48 /dev/urandom | od -An -tx1 | tr -d ' \n')
/usr/bin/python3 "$CHECKOUT/tools/ci/rehearsal_env.py" "$RUN/env.example" /srv/fitness/.env <<ENV
SECRET_KEY=$KEY
DATABASE_URL=postgres://$DB:$DB_PASSWORD@$PGHOST:$PGPORT/$DB
REDIS_URL=redis://$REDIS_HOST:$REDIS_PORT/$REDIS_DB
EMAIL_HOST=127.0.0.1
EMAIL_PORT=$SMTP_PORT
EMAIL_USE_TLS=0
EMAIL_HOST_USER=
EMAIL_HOST_PASSWORD=
AKISMET_API_KEY=rehearsal-key
# rehearsal only
PORT=$WEB_PORT
AKISMET_API_URL=http://127.0.0.1:$EMULATOR_PORT
CACHE_KEY_PREFIX=$CACHE_PREFIX
WEB_CONCURRENCY=2
GUNICORN_GRACEFUL_TIMEOUT=5
ENV
chown fitness:fitness /srv/fitness/.env
chmod 600 /srv/fitness/.env
for shell in bash sh; do
  # What the systemd unit, deploy/manage and cron read: every line must reach the environment.
  sudo -u fitness "$shell" -c '
    set -eu; cd /srv/fitness; set -a; . ./.env; set +a
    for name in $(sed -n "s/^\([A-Z_]*\)=.*/\1/p" .env); do
      eval "test \"\${$name+set}\" = set" || { echo "$name is not set"; exit 1; }
    done
    test "$DEFAULT_FROM_EMAIL" = "Fitness <noreply@fitness.example.com>"
    test -n "$AKISMET_API_KEY"' || fail ".env cannot be read by $shell"
  echo ".env: every variable set under $shell"
done

step "the local Akismet emulator (for the key check; nothing reaches the real Akismet)"
# exec, so that the id kept is the emulator's own (a background `sudo` function would not be).
(exec env -i PATH="$SECURE_PATH" HOME=/srv/fitness setpriv --reuid=fitness --regid=fitness \
  --init-groups .venv/bin/python -m tools.akismet_emulator --port "$EMULATOR_PORT" --quiet) \
  >"$RUN/emulator.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$EMULATOR_PORT") 2>/dev/null && break; sleep 0.2; done

step "2. check --deploy (guide: check)"
# guide: check
sudo -u fitness deploy/manage check --deploy
# end guide

step "3. first start (guide: first-start, first-admin)"
# guide: first-start
sudo -u fitness deploy/manage migrate --no-input
sudo -u fitness deploy/manage collectstatic --no-input     # hashed, compressed (WhiteNoise)
# end guide
ADMIN_PASSWORD=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')
# guide: first-admin
sudo -u fitness DJANGO_SUPERUSER_PASSWORD="$ADMIN_PASSWORD" deploy/manage createsuperuser \
  --no-input --username admin --email admin@fitness.example.com
# end guide

step "4. the processes the systemd units name, started as the units would"
unit=$(guide_block '`/etc/systemd/system/fitness-web.service`:')
unit_value() { sed -n "s/^$1=//p" <<<"$unit"; }
UNIT_USER=$(unit_value User)
UNIT_DIR=$(unit_value WorkingDirectory)
UNIT_ENV=$(unit_value EnvironmentFile)
[ "$UNIT_USER/$UNIT_DIR/$UNIT_ENV" = "fitness//srv/fitness//srv/fitness/.env" ] ||
  fail "the unit's User, WorkingDirectory or EnvironmentFile changed: $UNIT_USER $UNIT_DIR $UNIT_ENV"
mapfile -t EXEC_STARTS < <(grep -o 'ExecStart=[^`]*' "$GUIDE" | sed 's/^ExecStart=//')
[ "${#EXEC_STARTS[@]}" = 4 ] || fail "expected 4 ExecStart lines in the guide, found ${#EXEC_STARTS[@]}"
UNIT_HOME=$(getent passwd "$UNIT_USER" | cut -d: -f6)
NAMES=(web posting worker scheduler) # the guide's order: fitness-web, -posting, -worker, -scheduler
for i in 0 1 2 3; do
  command=${EXEC_STARTS[$i]} name=${NAMES[$i]}
  # The posting pool's --bind, moved to the rehearsal's port (the web one reads PORT from .env).
  command=${command/--bind 127.0.0.1:8001 /--bind 127.0.0.1:$POSTING_PORT }
  echo "starting fitness-$name: $command"
  # systemd: the unit's user, directory and environment file, a clean environment.
  # shellcheck disable=SC2086
  (cd "$UNIT_DIR" && exec env -i PATH="$SECURE_PATH" LANG=C.UTF-8 HOME="$UNIT_HOME" \
    USER="$UNIT_USER" LOGNAME="$UNIT_USER" sh -c 'set -a; . "$0"; set +a; exec "$@"' \
    "$UNIT_ENV" setpriv --reuid="$UNIT_USER" --regid="$UNIT_USER" --init-groups $command) \
    >"$RUN/$name.log" 2>&1 &
  PIDS+=($!)
done
for port in "$WEB_PORT" "$POSTING_PORT"; do
  for _ in $(seq 100); do
    curl -fs -o /dev/null -H "Host: $HOSTNAME_" "http://127.0.0.1:$port/healthz" && break
    sleep 0.3
  done
done
# The guide's probe on the machine itself (6. Health), on the rehearsal's port.
curl -fsS -H "Host: $HOSTNAME_" "http://127.0.0.1:$WEB_PORT/healthz"
echo

step "4. a cron line, run as cron runs it (sh, the user's crontab)"
cron=$(grep -m1 -- '--job akismet-retry$' "$GUIDE" | sed 's/^[^c]*\(cd \)/\1/')
[ -n "$cron" ] || fail "no akismet-retry cron line in the guide"
echo "$cron"
sudo -u fitness /bin/sh -c "$cron" >"$RUN/cron.log" 2>&1 || fail "the cron line failed under sh"

step "5. nginx: the example, with a self-signed certificate made now"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=$HOSTNAME_" \
  -addext "subjectAltName=DNS:$HOSTNAME_" -keyout "$RUN/tls.key" -out "$RUN/tls.crt" 2>/dev/null
sed -e "s|^\( *\)listen 80;|\1listen 127.0.0.1:$HTTP_PORT;|" \
  -e "s|^\( *\)listen 443 ssl http2;|\1listen 127.0.0.1:$HTTPS_PORT ssl http2;|" \
  -e '/listen \[::\]:/d' \
  -e "s|server 127.0.0.1:8000;|server 127.0.0.1:$WEB_PORT;|" \
  -e "s|server 127.0.0.1:8000 max_fails=0 backup;|server 127.0.0.1:$WEB_PORT max_fails=0 backup;|" \
  -e "s|server 127.0.0.1:8001 max_fails=0;|server 127.0.0.1:$POSTING_PORT max_fails=0;|" \
  -e "s|ssl_certificate .*;|ssl_certificate $RUN/tls.crt;|" \
  -e "s|ssl_certificate_key .*;|ssl_certificate_key $RUN/tls.key;|" \
  -e "s|/var/log/nginx/|$RUN/|" \
  -e "s|proxy_cache_path /var/lib/nginx/fitness-pages|proxy_cache_path $RUN/pages|" \
  /srv/fitness/deploy/nginx.conf.example >"$RUN/fitness.conf"
# The example must still be what these edits expect; otherwise this would test something else.
for expected in "listen 127.0.0.1:$HTTP_PORT;" "listen 127.0.0.1:$HTTPS_PORT ssl http2;" \
  "server 127.0.0.1:$WEB_PORT;" "server 127.0.0.1:$POSTING_PORT max_fails=0;" \
  "server 127.0.0.1:$WEB_PORT max_fails=0 backup;" "ssl_certificate $RUN/tls.crt;" \
  "alias /srv/fitness/staticfiles/;" "fitness_privacy;" "proxy_cache_path $RUN/pages"; do
  grep -qF "$expected" "$RUN/fitness.conf" || fail "the nginx example changed: no '$expected'"
done
cat >"$RUN/nginx.conf" <<NGINX
# Debian's nginx.conf, reduced: its user, its mime types, this rehearsal's paths.
user www-data;
worker_processes 1;
pid $RUN/nginx.pid;
error_log $RUN/nginx-error.log;
events { worker_connections 64; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log $RUN/nginx-other.log;
    include $RUN/fitness.conf;
}
NGINX
nginx -t -c "$RUN/nginx.conf"
nginx -c "$RUN/nginx.conf"
NGINX_STARTED=1

step "6. health and pages through nginx"
probe() { # probe EXPECTED_STATUS URL [curl options...]: prints the status
  local expected=$1 url=$2 status
  shift 2
  status=$(curl -sS -o "$RUN/body" -w '%{http_code} %{http_version}' "$@" "$url")
  echo "$status $url"
  [ "${status%% *}" = "$expected" ] || { head -c 2000 "$RUN/body"; fail "$url: ${status%% *}, not $expected"; }
}
TLS=(--resolve "$HOSTNAME_:$HTTPS_PORT:127.0.0.1" --cacert "$RUN/tls.crt")
probe 200 "http://127.0.0.1:$HTTP_PORT/healthz" -H "Host: $HOSTNAME_"
grep -q '"database": "ok"' "$RUN/body" && grep -q '"cache": "ok"' "$RUN/body" ||
  fail "/healthz did not find the database and the cache ok: $(cat "$RUN/body")"
probe 301 "http://127.0.0.1:$HTTP_PORT/" -H "Host: $HOSTNAME_"
probe 200 "https://$HOSTNAME_:$HTTPS_PORT/healthz" "${TLS[@]}" --http2
probe 200 "https://$HOSTNAME_:$HTTPS_PORT/" "${TLS[@]}"
css=$(grep -o '/static/css/site\.[0-9a-f]*\.css' "$RUN/body" | head -n1)
[ -n "$css" ] || fail "the home page links no hashed stylesheet (collectstatic?)"
probe 200 "https://$HOSTNAME_:$HTTPS_PORT$css" "${TLS[@]}" -D "$RUN/headers"
grep -qi '^cache-control: public, immutable' "$RUN/headers" && ! grep -qi '^content-security-policy' "$RUN/headers" ||
  fail "$css was not served by nginx from staticfiles/"
probe 302 "https://$HOSTNAME_:$HTTPS_PORT/admin/comments/comment/?q=someone%40example.org" "${TLS[@]}"
sleep 1
if grep -h -e 'someone' -e '%40' "$RUN/fitness.access.log" "$RUN/web.log" 2>/dev/null; then
  fail "a query string (an email address) reached a log"
fi
grep -q '"GET /admin/comments/comment/ HTTP/[0-9.]*" 302' "$RUN/fitness.access.log" ||
  fail "nginx's access log does not show the admin request"

step "7. the HTTP cache through nginx (docs/caching.md)"
sudo -u fitness deploy/manage load_demo >"$RUN/demo.log"
SITE="https://$HOSTNAME_:$HTTPS_PORT"
article=$(curl -sS "${TLS[@]}" "$SITE/" | grep -o 'href="/articles/[a-z0-9-]*/"' | head -n1 | cut -d'"' -f2)
[ -n "$article" ] || fail "the home page links no article (load_demo?)"
hits() { grep -c "\"GET $article HTTP" "$RUN/web.log" || true; }
status_of() { sed -n 's/^x-cache-status: *\([A-Z]*\).*/\1/Ip' "$RUN/headers"; }
# A hit does not reach gunicorn: fetch until nginx has just stored a copy, then at once again.
for _ in $(seq 20); do
  curl -sS -o "$RUN/body" -D "$RUN/headers" "${TLS[@]}" "$SITE$article"
  case $(status_of) in MISS | EXPIRED) break ;; esac
done
sleep 0.3 # gunicorn logs the request after answering it
before=$(hits)
curl -sS -o /dev/null -D "$RUN/headers" "${TLS[@]}" "$SITE$article"
hit=$(status_of)
sleep 0.3
after=$(hits)
echo "X-Cache-Status: $hit; requests for $article in gunicorn's log: $before, then $after"
[ "$hit" = HIT ] && [ "$after" = "$before" ] || fail "a cached page reached gunicorn ($hit)"
grep -qi '^cache-control: public, max-age=0, s-maxage=1' "$RUN/headers" || fail "no shared Cache-Control"
etag=$(sed -n 's/^etag: *\(.*\)\r$/\1/Ip' "$RUN/headers")
probe 304 "$SITE$article" "${TLS[@]}" -H "If-None-Match: $etag"

# A cross-site post is refused; a post from the site's own page is stored.
id=$(grep -o 'action="/comments/post/[0-9]*/"' "$RUN/body" | grep -o '[0-9]*')
stamp=$(grep -o 'name="timestamp" value="[^"]*"' "$RUN/body" | sed 's/.*value="//; s/"$//')
[ -n "$id" ] && [ -n "$stamp" ] || fail "no comment form on $article"
! grep -q csrfmiddlewaretoken "$RUN/body" || fail "the anonymous page carries a CSRF token"
text="Rehearsal comment $$, held for its links: https://a.example https://b.example https://c.example"
form=(--data-urlencode "comment=$text" --data-urlencode "name=Rehearsal Reader"
  --data-urlencode "email=reader-$$@example.com" --data-urlencode "timestamp=$stamp"
  --data-urlencode "parent=" --data-urlencode "website=")
probe 403 "$SITE/comments/post/$id/" "${TLS[@]}" "${form[@]}" \
  -H "Sec-Fetch-Site: cross-site" -H "Origin: https://evil.example"
grep -q "Your form was not sent" "$RUN/body" && grep -qF "Rehearsal comment $$" "$RUN/body" ||
  fail "the refused post's page does not give the reader's text back"
sleep 3 # COMMENTS_MIN_SUBMIT_SECONDS: a reader, not a script
probe 302 "$SITE/comments/post/$id/" "${TLS[@]}" "${form[@]}" -c "$RUN/cookies" -D "$RUN/headers" \
  -H "Sec-Fetch-Site: same-origin" -H "Origin: $SITE" -H "X-Forwarded-For: 198.51.100.40"
grep -q comments_pending "$RUN/cookies" || fail "the comment was not held (no pending cookie)"
# Its writer sees it at once on the page the post leads to (?mine=1: their own page, which
# bypasses the cache); the plain address is the page everyone shares, even for them, and their
# part comes from /comments/mine/ (private). Others do not see it before approval.
landing=$(sed -n 's/^location: *\([^#\r]*\).*$/\1/Ip' "$RUN/headers")
case $landing in *mine=1*) ;; *) fail "the post does not lead to the writer's own page: $landing" ;; esac
probe 200 "$SITE$landing" "${TLS[@]}" -b "$RUN/cookies" -D "$RUN/headers"
[ "$(status_of)" = BYPASS ] && grep -qF "Rehearsal comment $$" "$RUN/body" ||
  fail "the writer does not see their held comment at once ($(status_of))"
probe 200 "$SITE$article" "${TLS[@]}" -b "$RUN/cookies" -D "$RUN/headers"
[ "$(status_of)" != BYPASS ] && ! grep -qF "Rehearsal comment $$" "$RUN/body" ||
  fail "the writer's plain page is not the shared one ($(status_of))"
probe 200 "$SITE/comments/mine/$id/" "${TLS[@]}" -b "$RUN/cookies" -D "$RUN/headers"
grep -qF "Rehearsal comment $$" "$RUN/body" && grep -qi '^cache-control: private, no-store' "$RUN/headers" ||
  fail "the writer's part is not in their private request"
probe 200 "$SITE$article" "${TLS[@]}"
! grep -qF "Rehearsal comment $$" "$RUN/body" || fail "a held comment is shown to everyone"
# An approval reaches every reader through the cache within s-maxage (+ one render).
sudo -u fitness deploy/manage shell -c "
from comments.models import Comment
from comments.services.status import approve
approve(Comment.objects.get(body__startswith='Rehearsal comment $$'), by=None)" >/dev/null
approved_at=$(date +%s%N)
until curl -sS "${TLS[@]}" "$SITE$article" | grep -qF "Rehearsal comment $$"; do
  [ $(($(date +%s%N) - approved_at)) -lt 3000000000 ] || fail "the approval is not visible after 3 s"
  sleep 0.1
done
echo "the approval was visible through nginx after $((($(date +%s%N) - approved_at) / 1000000)) ms"

step "8. a slow Akismet holds the posting pool, never the pages"
# Akismet answers in 10 s (AKISMET_TIMEOUT, 2 s, cuts each check short): 24 readers post at once,
# more than the web processes' threads (2 x 8), each from an address of its own. nginx sends
# the posts to the posting pool, so pages read meanwhile are answered while every post still
# waits: the reads end before the first post does, and the web processes' log has no post.
emulator_misbehaves() {
  curl -fsS -o /dev/null -H 'Content-Type: application/json' -d "$1" \
    "http://127.0.0.1:$EMULATOR_PORT/_emulator/misbehave"
}
emulator_misbehaves '{"mode": "slow", "seconds": 10, "path": "/1.1/comment-check", "count": null}'
posts_before=$(grep -c '"POST /comments/post/' "$RUN/posting.log" || true)
POSTERS=()
for n in $(seq 24); do
  (curl -sS -o /dev/null -w '%{http_code}\n' "$SITE/comments/post/$id/" "${TLS[@]}" \
    --data-urlencode "comment=Slow Akismet comment $n of rehearsal $$" \
    --data-urlencode "name=Patient Reader $n" --data-urlencode "email=patient-$n-$$@example.com" \
    --data-urlencode "timestamp=$stamp" --data-urlencode "parent=" --data-urlencode "website=" \
    -H "Sec-Fetch-Site: same-origin" -H "Origin: $SITE" -H "X-Forwarded-For: 198.51.100.$((100 + n))" \
    >"$RUN/post-$n.status"
    date +%s%N >"$RUN/post-$n.ended") &
  POSTERS+=($!)
done
sleep 0.5
for n in 1 2 3 4 5; do # pages nginx has not stored (a query of their own): rendered by gunicorn
  probe 200 "$SITE$article?rehearsal-read=$n-$$" "${TLS[@]}" -D "$RUN/headers"
  [ "$(status_of)" = MISS ] || fail "the read was not rendered by gunicorn ($(status_of))"
done
reads_ended=$(date +%s%N)
for pid in "${POSTERS[@]}"; do wait "$pid"; done
curl -fsS -o /dev/null -X POST "http://127.0.0.1:$EMULATOR_PORT/_emulator/reset"
first_post_ended=$(cat "$RUN"/post-*.ended | sort -n | head -n1)
echo "statuses of the posts: $(cat "$RUN"/post-*.status | sort | uniq -c | tr -s ' \n' ' ')"
echo "reads ended $(((first_post_ended - reads_ended) / 1000000)) ms before the first post was answered"
[ "$(cat "$RUN"/post-*.status | sort -u)" = 302 ] || fail "a post was not stored (not a 302)"
[ "$reads_ended" -lt "$first_post_ended" ] || fail "page reads waited for the posts (Akismet)"
sleep 0.3 # gunicorn logs a request after answering it
posts_after=$(grep -c '"POST /comments/post/' "$RUN/posting.log" || true)
[ $((posts_after - posts_before)) = 24 ] || fail "the posting pool took $((posts_after - posts_before)) of the 24 posts"
if grep -q '"POST /comments/post/' "$RUN/web.log"; then fail "a post reached the web processes"; fi

step "the processes are still up"
for pid in "${PIDS[@]}"; do kill -0 "$pid" || fail "process $pid has died"; done
grep -q "scheduler started" "$RUN/scheduler.log" || fail "the scheduler did not start"
echo "web, posting, worker, scheduler and emulator running; every probe answered as the guide says"
