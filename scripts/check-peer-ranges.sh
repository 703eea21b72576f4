#!/usr/bin/env bash
# Installs the packed package into temp projects (under $TMPDIR, never this checkout's
# node_modules) with each optional peer at the lower and at the upper end of its range in
# package.json, and runs it there. Not part of `npm test`: it installs from the registry and
# takes a few minutes. Run it after `npm run build` (it packs dist/ as it is):
#   bash scripts/check-peer-ranges.sh
# - the conformance kit (cx-accounts/testing: vitest, fast-check, csv-parse, cloudevents,
#   standardwebhooks): describeStoreConformance and describeBackupConformance on the memory
#   store, property tests, backup files read back by csv-parse and webhook deliveries verified
#   by the SDKs included. All lower ends together, then all upper ends together.
# - cx-accounts/sql (kysely, @electric-sql/pglite): a store opened on PGlite, an account created
#   and read back; lower ends on the host's Node, upper ends on Node 22 (Kysely 0.29 needs
#   Node ≥ 22) from the registry.
# Not run here: better-sqlite3, pg and mysql2 (one version each in node_modules, run by
# `npm test`); a native build of better-sqlite3 per version would take minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
npm pack --silent --ignore-scripts --pack-destination "$work" >/dev/null
tarball="$(ls "$work"/cx-accounts-*.tgz)"
status=0
node22=(npx --prefer-offline -y -p node@22 node)

project() { # name, packages…
  local dir="$work/$1"; shift
  mkdir -p "$dir"
  printf '{ "name": "peer-check", "private": true, "type": "module" }\n' >"$dir/package.json"
  # A failed install (e.g. npm refusing a version outside our peer range) is said, not hidden.
  (cd "$dir" && npm install --no-audit --no-fund --prefer-offline "$tarball" "$@" >"$dir/install.log" 2>&1) ||
    { echo "npm install $* failed:" >&2; tail -15 "$dir/install.log" >&2; return 1; }
  echo "$dir"
}

versions() { # project dir, packages…: "name version, …" as installed
  local dir="$1"; shift
  local out=()
  for name in "$@"; do out+=("$name $(node -p "JSON.parse(require('fs').readFileSync('$dir/node_modules/$name/package.json', 'utf8')).version")"); done
  local IFS=','; echo "${out[*]}" | sed 's/,/, /g'
}

kit_case() { # label, vitest, fast-check, csv-parse, cloudevents, standardwebhooks, node command…
  local label="$1" vitest="$2" fastcheck="$3" csvparse="$4" cloudevents="$5" webhooks="$6"; shift 6
  local dir
  dir="$(project "kit-$label" "vitest@$vitest" "fast-check@$fastcheck" "csv-parse@$csvparse" "cloudevents@$cloudevents" "standardwebhooks@$webhooks")" ||
    { echo "FAIL kit, $label: could not install"; status=1; return 0; }
  cat >"$dir/kit.test.js" <<'JS'
import { memoryStore } from 'cx-accounts/memory';
import { describeBackupConformance, describeStoreConformance } from 'cx-accounts/testing';
const factory = { name: 'memory', setup: async () => memoryStore(), teardown: async () => {} };
describeStoreConformance(factory, { hostileInputRuns: 20 });
describeBackupConformance(factory);
JS
  local installed; installed="$(versions "$dir" vitest fast-check csv-parse cloudevents standardwebhooks)"
  if (cd "$dir" && "$@" node_modules/vitest/vitest.mjs run --reporter=dot --testTimeout=120000 >"$dir/out.log" 2>&1); then
    echo "ok   kit, $label: $installed (node $("$@" --version)): $(grep -E 'Tests' "$dir/out.log" | tr -s ' ' | sed 's/\x1b\[[0-9;]*m//g')"
  else
    echo "FAIL kit, $label: $installed (node $("$@" --version))"; tail -40 "$dir/out.log"; status=1
  fi
}

sql_case() { # label, pglite, kysely, node command…
  local label="$1" pglite="$2" kysely="$3"; shift 3
  local dir
  dir="$(project "sql-$label" "@electric-sql/pglite@$pglite" "kysely@$kysely")" || { echo "FAIL sql, $label: could not install"; status=1; return 0; }
  cat >"$dir/pglite.mjs" <<'JS'
import { PGlite } from '@electric-sql/pglite';
import { createCxAccounts } from 'cx-accounts';
import { memoryDirectory } from 'cx-accounts/memory';
import { openPostgres } from 'cx-accounts/sql';
const store = await openPostgres(await PGlite.create());
const cx = createCxAccounts({ store, directory: memoryDirectory([{ domainId: 'acme', id: 'u1', name: 'Kim', email: 'kim@acme.test' }]), contactUrlBase: 'https://talk.example.com/add/' });
const steps = [
  await cx.products.set('acme', { productId: 'basic', name: 'Basic', seatLimit: 3, quantity: 1 }),
  await cx.accounts.create('acme', { productId: 'basic', name: 'Help', id: 'help', agentIds: ['u1'] }),
  await cx.accounts.get('acme', 'help'),
];
await store.close();
const failed = steps.find((step) => step.isErr());
if (failed) throw new Error(failed.error.message);
if (steps[2].value.agentIds.join() !== 'u1') throw new Error('account read back wrong');
console.log('created and read back an account');
JS
  local installed; installed="$(versions "$dir" @electric-sql/pglite kysely)"
  if out="$(cd "$dir" && "$@" pglite.mjs 2>&1)"; then echo "ok   sql, $label: $installed (node $("$@" --version)): $out"; else echo "FAIL sql, $label: $installed"; echo "$out" | tail -20; status=1; fi
}

# The ends of each range in package.json's peerDependencies (vitest >=3 <6, fast-check
# >=3.20.0 <5, csv-parse >=5 <8, cloudevents >=8 <11, standardwebhooks ^1.0.0,
# @electric-sql/pglite >=0.2.0 <0.6.0, kysely >=0.28.0 <0.30.0).
kit_case lower 3.0.0 3.20.0 5.0.0 8.0.0 1.0.0 node
kit_case upper 5 4 7 10 1 "${node22[@]}" # vitest 5 needs Node ≥ 22
kit_case upper-on-node-20 4 4 7 10 1 node
sql_case lower 0.2.0 0.28.0 node
sql_case upper 0.5 0.29 "${node22[@]}"
exit $status
