#!/usr/bin/env bash
# Writes the idempotent SQL Server migration script (safe to run on an empty or a partly migrated database)
# with dotnet-ef from the tool manifest. No SQL Server is needed to generate it.
#
#   scripts/sqlserver-migrations.sh                      -> artifacts/sqlserver-migrations.sql
#   scripts/sqlserver-migrations.sh path/to/output.sql
#   scripts/sqlserver-migrations.sh -- --configuration Release   (extra arguments go to dotnet ef)
#
# Apply it with any SQL Server client, e.g. sqlcmd -S host -d BillingPortal -i artifacts/sqlserver-migrations.sql
# (or let the portal do it: `dotnet BillingPortal.dll migrate` with Database__Provider=SqlServer).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

output="artifacts/sqlserver-migrations.sql"
if [[ $# -gt 0 && $1 != "--" ]]; then
  output="$1"
  shift
fi
[[ ${1:-} == "--" ]] && shift

if ! command -v dotnet >/dev/null 2>&1; then
  echo "sqlserver-migrations: 'dotnet' is not on PATH; install the .NET SDK 10 (see global.json)." >&2
  exit 1
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
mkdir -p "$(dirname "$output")"

dotnet tool restore >/dev/null
dotnet ef migrations script \
  --idempotent \
  --context SqlServerBillingDbContext \
  --project BillingPortal.Core \
  --startup-project BillingPortal \
  --output "$output" \
  "$@"

echo "sqlserver-migrations: wrote $output ($(grep -c '^GO' "$output") batches, $(grep -cE 'CREATE (UNIQUE )?INDEX' "$output") indexes, $(grep -c 'CREATE TABLE' "$output") tables)"
