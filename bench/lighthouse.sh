#!/usr/bin/env bash
# Lighthouse (mobile preset) on five pages, served with gzip as a real host serves them; prints the four
# scores per page. Lighthouse is installed on demand from bench/lighthouse/package-lock.json (pinned),
# and drives Debian's chromium. Targets: performance >= 95, accessibility, best practices and SEO 100.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v chromium >/dev/null || { echo "needs Debian's chromium: apt-get install -y chromium" >&2; exit 1; }
[ -x bench/lighthouse/node_modules/.bin/lighthouse ] || (cd bench/lighthouse && npm ci --no-audit --no-fund --loglevel=error)
port=$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:${port}/qwen-lineage/"
site=$(mktemp -d)
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$site"' EXIT
NO_MKDOCS_2_WARNING=1 QWEN_LINEAGE_SITE_URL="$base" .venv/bin/mkdocs build --quiet --site-dir "$site/site"
.venv/bin/python bench/serve_gzip.py "$site/site" "$port" /qwen-lineage/ & server=$!
sleep 1
printf '%-28s %5s %5s %5s %5s\n' page perf a11y bp seo
for page in "" timeline/ lineage/ models/qwen3/ charts/lineage/; do
  CHROME_PATH=/usr/bin/chromium bench/lighthouse/node_modules/.bin/lighthouse "${base}${page}" --quiet \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update" \
    --only-categories=performance,accessibility,best-practices,seo --output=json --output-path="$site/report.json" >/dev/null 2>&1
  .venv/bin/python - "$site/report.json" "/${page}" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
scores = [round(report["categories"][k]["score"] * 100) for k in ("performance", "accessibility", "best-practices", "seo")]
failing = sorted({a["id"] for c in report["categories"].values() for a in c["auditRefs"]
                  if a.get("weight") and (report["audits"][a["id"]].get("score") or 0) < 1
                  and report["audits"][a["id"]].get("score") is not None})
print(f"{sys.argv[2]:28} " + " ".join(f"{s:5d}" for s in scores) + ("   failing: " + ", ".join(failing) if failing else ""))
PY
done
