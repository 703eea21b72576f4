#!/usr/bin/env bash
# Installs the packed package into temp projects with each optional peer at the lower and the
# upper end of its range, and runs it there (not part of `npm test`: it installs from the
# registry and takes a few minutes). Run it after `npm run build` (it packs dist/ as it is):
#   bash scripts/check-peer-ranges.sh
# - vitest + fast-check: the store conformance kit (cx-accounts/testing) on the memory store,
#   its property tests included. vitest 5 needs Node ≥ 22: it runs on node@22 from the registry.
# - @electric-sql/pglite: a store opened on PGlite, an account created and read back.
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
npm pack --silent --ignore-scripts --pack-destination "$work" >/dev/null
tarball="$(ls "$work"/cx-accounts-*.tgz)"
status=0

project() { # name, packages…
  local dir="$work/$1"; shift
  mkdir -p "$dir"
  printf '{ "name": "peer-check", "private": true, "type": "module" }\n' >"$dir/package.json"
  (cd "$dir" && npm install --silent --no-audit --no-fund --prefer-offline "$tarball" "$@" >/dev/null)
  echo "$dir"
}

version() { # project dir, package: the installed version
  node -p "JSON.parse(require('fs').readFileSync('$1/node_modules/$2/package.json', 'utf8')).version"
}

kit_case() { # vitest version, fast-check version, node command
  local vitest="$1" fastcheck="$2"; shift 2
  # csv-parse: cx-accounts/testing imports it (testing/backup-fixture.ts) though it is only a
  # devDependency of ours: installed here by hand until that is settled.
  local dir; dir="$(project "kit-$vitest-$fastcheck" "vitest@$vitest" "fast-check@$fastcheck" csv-parse@7.0.3)"
  cat >"$dir/kit.test.js" <<'JS'
import { memoryStore } from 'cx-accounts/memory';
import { describeStoreConformance } from 'cx-accounts/testing';
describeStoreConformance({ name: 'memory', setup: async () => memoryStore(), teardown: async () => {} }, { hostileInputRuns: 20 });
JS
  local versions; versions="vitest $(version "$dir" vitest), fast-check $(version "$dir" fast-check)"
  if (cd "$dir" && "$@" node_modules/vitest/vitest.mjs run --reporter=dot --testTimeout=120000 >"$dir/out.log" 2>&1); then
    echo "ok   $versions ($("$@" --version)): $(grep -E 'Tests' "$dir/out.log" | tr -s ' ' | sed 's/\x1b\[[0-9;]*m//g')"
  else
    echo "FAIL $versions ($("$@" --version))"; tail -30 "$dir/out.log"; status=1
  fi
}

pglite_case() { # pglite version
  local dir; dir="$(project "pglite-$1" "@electric-sql/pglite@$1" kysely@0.28.19)"
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
  local version; version="$(version "$dir" @electric-sql/pglite)"
  if out="$(cd "$dir" && node pglite.mjs 2>&1)"; then echo "ok   @electric-sql/pglite $version: $out"; else echo "FAIL @electric-sql/pglite $version"; echo "$out" | tail -20; status=1; fi
}

kit_case 3.0.0 3.20.0 node
kit_case 4 4 node
kit_case 5 4 npx --prefer-offline -y -p node@22 node
pglite_case 0.2.0
pglite_case 0.5
exit $status
