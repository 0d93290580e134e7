#!/usr/bin/env bash
# A streaming read replica of the local PostgreSQL, for the replica router's tests
# (tests/core/test_replicas.py) and for trying DATABASE_REPLICA_URLS on one machine.
#
# The primary is the cluster on 127.0.0.1:5432 (user postgres, trust authentication). The replica
# is a second cluster of the same version, "replica", on port 5433: its data directory is a
# pg_basebackup of the primary's (-R: it starts as a hot standby that streams the primary's WAL),
# so every database of the primary, the test databases pytest-django creates included, is on the
# replica moments after each commit. Idempotent: when the replica is already streaming it does
# nothing; a leftover cluster that no longer streams is started, and made anew if it still does
# not stream. Run as root (CI) or as postgres. See docs/performance.md, "Past one machine".
set -euo pipefail

PRIMARY_PORT=${PRIMARY_PORT:-5432}
PORT=${REPLICA_PORT:-5433}
NAME=replica
WAIT=60

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
query() { # query PORT SQL: one value, unaligned; empty when the server does not answer
  psql -h 127.0.0.1 -p "$1" -U postgres -d postgres -XAtq -c "$2" 2>/dev/null || true
}
in_recovery() { [ "$(query "$PORT" "select pg_is_in_recovery()")" = t ]; }
# The standby's walreceiver names itself after its cluster_name (Debian sets "15/replica").
streaming() {
  in_recovery && [ "$(query "$PRIMARY_PORT" "select count(*) from pg_stat_replication
    where application_name = '$VERSION/$NAME' and state = 'streaming'")" = 1 ]
}
wait_streaming() {
  for _ in $(seq 1 "$WAIT"); do streaming && return 0; sleep 1; done
  return 1
}

if ! pg_isready -h 127.0.0.1 -p "$PRIMARY_PORT" -q; then
  echo "pg_replica: no PostgreSQL answers on 127.0.0.1:$PRIMARY_PORT (start the primary first)" >&2
  exit 1
fi
# The replica's version is the primary's: a physical copy cannot change versions.
VERSION=$(query "$PRIMARY_PORT" "show server_version_num")
VERSION=${VERSION:0:2}

if streaming; then
  echo "pg_replica: $VERSION/$NAME already streams from port $PRIMARY_PORT on port $PORT"
  exit 0
fi

if [ "$(query "$PRIMARY_PORT" "show wal_level")" = minimal ]; then
  echo "pg_replica: the primary runs with wal_level = minimal, which streams nothing" >&2
  exit 1
fi

# pg_basebackup and the standby connect with the replication pseudo-database, which a "host all"
# line does not cover.
HBA=$(query "$PRIMARY_PORT" "show hba_file")
if [ "$(query "$PRIMARY_PORT" "select count(*) from pg_hba_file_rules where type = 'host'
    and 'replication' = any(database) and address = '127.0.0.1' and auth_method = 'trust'")" = 0 ]; then
  # Never weaker than the primary already is: trust for replication only where 127.0.0.1 is
  # trusted for every database (this machine's local PostgreSQL); elsewhere an operator decides.
  if [ "$(query "$PRIMARY_PORT" "select count(*) from pg_hba_file_rules where type = 'host'
      and 'all' = any(database) and address = '127.0.0.1' and auth_method = 'trust'")" = 0 ]; then
    echo "pg_replica: the primary does not trust 127.0.0.1; allow replication for user postgres" \
      "from 127.0.0.1 in $HBA yourself, then run this again" >&2
    exit 1
  fi
  echo "host replication all 127.0.0.1/32 trust" >>"$HBA"
  query "$PRIMARY_PORT" "select pg_reload_conf()" >/dev/null
  echo "pg_replica: added 'host replication all 127.0.0.1/32 trust' to $HBA and reloaded"
fi

if pg_lsclusters -h | awk -v v="$VERSION" -v n="$NAME" '$1 == v && $2 == n {found = 1} END {exit !found}'; then
  # A cluster left by an earlier run: started, it catches up if the primary still has its WAL.
  echo "pg_replica: found the cluster $VERSION/$NAME; starting it"
  pg_ctlcluster --skip-systemctl-redirect "$VERSION" "$NAME" start 2>/dev/null || true
  if in_recovery && WAIT=15 wait_streaming; then
    echo "pg_replica: $VERSION/$NAME streams from port $PRIMARY_PORT on port $PORT"
    exit 0
  fi
  echo "pg_replica: it does not stream; making it anew"
  pg_ctlcluster --skip-systemctl-redirect "$VERSION" "$NAME" stop -m fast 2>/dev/null || true
  pg_dropcluster "$VERSION" "$NAME"
fi

pg_createcluster "$VERSION" "$NAME" -p "$PORT" >/dev/null
DATA=$(pg_lsclusters -h | awk -v v="$VERSION" -v n="$NAME" '$1 == v && $2 == n {print $6}')
CONF=/etc/postgresql/$VERSION/$NAME
# The replica lets in whoever the primary lets in (here: trust from 127.0.0.1).
install -o postgres -g postgres -m 640 "$HBA" "$CONF/pg_hba.conf"
# Emptied, not removed: its parent belongs to root, the directory (mode 700) to postgres.
find "$DATA" -mindepth 1 -delete
as_postgres pg_basebackup -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$DATA" -R -X stream -c fast
pg_ctlcluster --skip-systemctl-redirect "$VERSION" "$NAME" start

if ! wait_streaming; then
  echo "pg_replica: $VERSION/$NAME did not start streaming within ${WAIT}s; its log:" >&2
  tail -n 20 "/var/log/postgresql/postgresql-$VERSION-$NAME.log" >&2 || true
  exit 1
fi
echo "pg_replica: $VERSION/$NAME streams from port $PRIMARY_PORT on port $PORT"
