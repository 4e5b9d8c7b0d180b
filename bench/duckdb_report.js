#!/usr/bin/env node
// The DuckDB peer: node duckdb_report.js DATA_DIR agent|week OUT.csv [THREADS]
// Runs report.sql.tmpl through @duckdb/node-api (installed into bench/node_modules by bench/run).
const fs = require('fs');
const path = require('path');
const { DuckDBInstance } = require('@duckdb/node-api');

const [data, by, out, threads] = process.argv.slice(2);
const key = {
  agent: 'agent',
  week: "strftime(date_trunc('week', CAST(substr(closed_at, 1, 10) AS DATE)), '%Y-%m-%d')",
}[by];
if (!key) {
  console.error('usage: duckdb_report.js DATA_DIR agent|week OUT.csv [THREADS]');
  process.exit(2);
}
const sql = fs.readFileSync(path.join(__dirname, 'report.sql.tmpl'), 'utf8')
  .replaceAll('@DATA@', data).replaceAll('@KEY@', key).replaceAll('@OUT@', out);

(async () => {
  const db = await DuckDBInstance.create(':memory:', threads ? { threads: String(threads) } : {});
  const con = await db.connect();
  await con.run(sql);
})().catch((e) => { console.error(e); process.exit(1); });
