#!/bin/sh
# Creates one database and one role per service on the first start of the
# postgres container (mounted into /docker-entrypoint-initdb.d by compose.yaml).
# Each service owns its database and can reach no other ("services never call
# each other", and never read each other's tables either).
set -eu
for svc in duties procedures results feedback; do
  var="GONGSHI_$(echo "$svc" | tr a-z A-Z)_DB_PASSWORD"
  eval "pw=\${$var:?$var is not set}"
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
       -v svc="$svc" -v pw="$pw" <<'SQL'
CREATE ROLE :"svc" LOGIN PASSWORD :'pw';
CREATE DATABASE :"svc" OWNER :"svc";
REVOKE ALL ON DATABASE :"svc" FROM PUBLIC;
SQL
done
