#!/usr/bin/env bash
# Lighthouse (mobile preset, the default form factor) on the pages readers see most: the home
# page, an article with 20 comments and a category page, served the way production serves them
# (DEBUG off, gunicorn behind Debian's nginx with the example's gzip, /static/ and /media/ from
# disk), on Debian's Chromium.
#   bash bench/lighthouse.sh            # prints a table; raw reports in bench/results/lighthouse/
#   PAGES="/ /privacy/" bash bench/lighthouse.sh
#   SCREENSHOTS=1 bash bench/lighthouse.sh   # also docs/screenshots/*-{390,1280}.png
# Needs: make install (the venv), npm (lighthouse is pinned in package.json), /usr/bin/chromium,
# /usr/sbin/nginx.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${LIGHTHOUSE_PORT:-8190}        # nginx, what Lighthouse opens
APP_PORT=$((PORT + 1))               # gunicorn behind it
OUT=bench/results/lighthouse
PAGES=${PAGES:-"/ /articles/why-do-muscles-twitch-after-a-workout/ /category/fitness/"}
mkdir -p "$OUT"
[ -x node_modules/.bin/lighthouse ] || npm ci --no-fund --no-audit --silent
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}

work=$(mktemp -d)
export DEBUG=0 SECRET_KEY=lighthouse-bench-only ALLOWED_HOSTS=127.0.0.1 \
  SITE_URL="http://127.0.0.1:$PORT" SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0 SECURE_HSTS_SECONDS=0 \
  DATABASE_URL="sqlite:///$work/db.sqlite3" MEDIA_ROOT="$work/media" \
  EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend
unset REDIS_URL
.venv/bin/python manage.py collectstatic --no-input -v0 --skip-checks
.venv/bin/python manage.py migrate --no-input -v0 --skip-checks
.venv/bin/python manage.py load_demo >/dev/null
.venv/bin/gunicorn fitness.wsgi --bind "127.0.0.1:$APP_PORT" --workers 2 --log-level warning \
  --pid "$work/gunicorn.pid" --daemon
# nginx as deploy/nginx.conf.example sets it up for readers: gzip, static files and media
# from disk, the rest proxied (the microcache is left out: Lighthouse loads each page once).
mkdir -p "$work/nginx"
cat >"$work/nginx/nginx.conf" <<NGINX
$( [ "$(id -u)" = 0 ] && echo "user root root;" )
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path $work/nginx/body;
    proxy_temp_path $work/nginx/proxy;
    fastcgi_temp_path $work/nginx/fastcgi;
    uwsgi_temp_path $work/nginx/uwsgi;
    scgi_temp_path $work/nginx/scgi;
    $(grep -E '^\s*gzip' deploy/nginx.conf.example)
    server {
        listen 127.0.0.1:$PORT;
        location /static/ { alias $PWD/staticfiles/; expires 1y; }
        location /media/ { alias $work/media/; expires 1y; }
        location / {
            proxy_pass http://127.0.0.1:$APP_PORT;
            proxy_set_header Host \$host;
        }
    }
}
NGINX
/usr/sbin/nginx -c "$work/nginx/nginx.conf"
trap 'kill "$(cat "$work/gunicorn.pid")" "$(cat "$work/nginx/nginx.pid")" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.2; done

if [ -n "${SCREENSHOTS:-}" ]; then
  .venv/bin/python tools/screenshots.py "http://127.0.0.1:$PORT"
fi

reports=()
for page in $PAGES; do
  name=$(echo "$page" | tr -c 'a-z0-9\n' '-' | sed 's/^-*//; s/-*$//'); name=${name:-home}
  node_modules/.bin/lighthouse "http://127.0.0.1:$PORT$page" --quiet \
    --only-categories=performance,accessibility,best-practices,seo \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu" \
    --output=json --output=html --output-path="$OUT/$name" >/dev/null
  reports+=("$page=$OUT/$name.report.json")
done

.venv/bin/python bench/lighthouse_report.py "${reports[@]}"
