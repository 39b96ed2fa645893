#!/usr/bin/env bash
# A throw-away Virtuoso 7 instance (Debian's virtuoso-opensource-7) for the integration tests:
# loopback-only ports, its own ini and database under a temporary folder, the fresh database's
# dba/dba credentials (test only: never use this file for a real deployment).
#
# Usage: `. .ci/virtuoso-test-instance.sh`, then run the tests, then `virt_stop`.
# It exports VIRT_DIR VIRT_PID VIRT_HTTP VIRT_SQL and the variables `npm run test:integration`
# reads (COMMUNS_TEST_VIRTUOSO_URL, _USER, _PASSWORD), and defines virt_sql and virt_stop.
# If the server does not come up it prints its log, stops it and returns 1.
# No `set -e` here: the file is sourced into the caller's shell. Adapted from the verified recipe
# in /work/shared/virtuoso-and-clients.md (section 2).
VIRT_HTTP_PORT=${VIRT_HTTP_PORT:-18890}
VIRT_SQL_PORT=${VIRT_SQL_PORT:-11111}
VIRT_DIR=${VIRT_DIR:-$(mktemp -d /tmp/virtuoso.XXXXXX)}
mkdir -p "$VIRT_DIR/db" "$VIRT_DIR/data" "$VIRT_DIR/vsp"
cat > "$VIRT_DIR/virtuoso.ini" <<INI
[Database]
DatabaseFile         = $VIRT_DIR/db/virtuoso.db
ErrorLogFile         = $VIRT_DIR/db/virtuoso.log
LockFile             = $VIRT_DIR/db/virtuoso.lck
TransactionFile      = $VIRT_DIR/db/virtuoso.trx
xa_persistent_file   = $VIRT_DIR/db/virtuoso.pxa
ErrorLogLevel        = 7
FileExtend           = 200
MaxCheckpointRemap   = 2000
Striping             = 0
TempStorage          = TempDatabase

[TempDatabase]
DatabaseFile         = $VIRT_DIR/db/virtuoso-temp.db
TransactionFile      = $VIRT_DIR/db/virtuoso-temp.trx
MaxCheckpointRemap   = 2000
Striping             = 0

[Parameters]
ServerPort           = 127.0.0.1:$VIRT_SQL_PORT
DisableUnixSocket    = 1
DisableTcpSocket     = 0
MaxClientConnections = 10
CheckpointInterval   = 60
O_DIRECT             = 0
CaseMode             = 2
MaxStaticCursorRows  = 5000
AllowOSCalls         = 0
SchedulerInterval    = 10
DirsAllowed          = ., $VIRT_DIR/data
ThreadCleanupInterval = 0
ThreadThreshold      = 10
ResourcesCleanupInterval = 0
FreeTextBatchSize    = 100000
SingleCPU            = 0
PrefixResultNames    = 0
RdfFreeTextRulesSize = 100
IndexTreeMaps        = 64
MaxMemPoolSize       = 200000000
MaxQueryMem          = 512M
VectorSize           = 1000
MaxVectorSize        = 1000000
AdjustVectorSize     = 0
ThreadsPerQuery      = 2
AsyncQueueMaxThreads = 10
NumberOfBuffers      = 10000
MaxDirtyBuffers      = 6000

[HTTPServer]
ServerPort           = 127.0.0.1:$VIRT_HTTP_PORT
ServerRoot           = $VIRT_DIR/vsp
MaxClientConnections = 10
DavRoot              = DAV
EnabledDavVSP        = 0
HTTPProxyEnabled     = 0
TempASPXDir          = 0
ServerThreads        = 10
MaxKeepAlives        = 10
KeepAliveTimeout     = 10
MaxCachedProxyConnections = 10
ProxyConnectionCacheTimeout = 15
HTTPThreadSize       = 280000
HttpPrintWarningsInOutput = 0
Charset              = UTF-8
EnabledGzipContent   = 1

[Client]
SQL_PREFETCH_ROWS    = 100
SQL_PREFETCH_BYTES   = 16000
SQL_QUERY_TIMEOUT    = 0
SQL_TXN_TIMEOUT      = 0

[URIQA]
DynamicLocal         = 0
DefaultHost          = 127.0.0.1:$VIRT_HTTP_PORT

[SPARQL]
ResultSetMaxRows           = 100000
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime      = 60
DefaultQuery               = select distinct ?Concept where {[] a ?Concept} LIMIT 100
DeferInferenceRulesInit    = 0
INI
virtuoso-t +foreground +configfile "$VIRT_DIR/virtuoso.ini" > "$VIRT_DIR/server.out" 2>&1 &
VIRT_PID=$!
VIRT_HTTP="http://127.0.0.1:$VIRT_HTTP_PORT"
VIRT_SQL="127.0.0.1:$VIRT_SQL_PORT"
export VIRT_DIR VIRT_PID VIRT_HTTP VIRT_SQL
export COMMUNS_TEST_VIRTUOSO_URL="$VIRT_HTTP"
export COMMUNS_TEST_VIRTUOSO_USER=dba
export COMMUNS_TEST_VIRTUOSO_PASSWORD="${VIRT_DBA_PW:-dba}"

# isql-vt exits 0 even when a statement fails: look for "*** Error" in its output.
virt_sql() {
  local out rc
  out=$(timeout 600 isql-vt "$VIRT_SQL" dba "${VIRT_DBA_PW:-dba}" "exec=$1" </dev/null 2>&1); rc=$?
  printf '%s\n' "$out"
  [ $rc = 0 ] && ! printf '%s\n' "$out" | grep -q '^\*\*\* Error'
}

# Stops the server (clean shutdown through isql, SIGTERM, at last SIGKILL), waits for it to exit
# and removes its folder unless VIRT_KEEP=1. Safe to call twice (e.g. from a trap).
virt_stop() {
  [ -n "${VIRT_PID:-}" ] || return 0
  if kill -0 "$VIRT_PID" 2>/dev/null; then
    timeout 60 isql-vt "$VIRT_SQL" dba "${VIRT_DBA_PW:-dba}" 'exec=shutdown;' </dev/null >/dev/null 2>&1 \
      || kill -TERM "$VIRT_PID" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$VIRT_PID" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$VIRT_PID" 2>/dev/null; then kill -KILL "$VIRT_PID" 2>/dev/null || true; fi
  fi
  wait "$VIRT_PID" 2>/dev/null || true
  [ "${VIRT_KEEP:-0}" = 1 ] || rm -rf "$VIRT_DIR"
  VIRT_PID=
}

# Ready when the anonymous endpoint answers an ASK (about 2 s on a fresh database).
virt_ready=0
for _ in $(seq 1 120); do
  if curl -s -m 2 -o /dev/null -w '%{http_code}' "$VIRT_HTTP/sparql?query=ASK%7B%7D" | grep -q '^200$'; then
    virt_ready=1
    break
  fi
  kill -0 "$VIRT_PID" 2>/dev/null || break
  sleep 0.5
done
if [ "$virt_ready" != 1 ]; then
  echo "virtuoso did not come up; its output:"
  cat "$VIRT_DIR/server.out"
  VIRT_KEEP=0 virt_stop
  return 1 2>/dev/null || exit 1
fi
echo "virtuoso $(virt_sql "SELECT sys_stat('st_dbms_ver');" | grep -o '[0-9][0-9]\.[0-9][0-9]\.[0-9]*' | head -1) ready at $VIRT_HTTP (data in $VIRT_DIR)"
