#!/usr/bin/env node
// Slipway's stand-in for Prisma's Rust `schema-engine` binary (PostgreSQL only).
//
// Why this exists: the Prisma 7 CLI spawns a native `schema-engine` for `generate`,
// `migrate *` and `db *`, and downloads it from binaries.prisma.sh when it is missing. The
// machines Slipway is built and self-hosted on (and air-gapped installs in general) cannot
// reach that host, so every such command fails with ENOTFOUND. The CLI honours
// PRISMA_SCHEMA_ENGINE_BINARY; prisma.config.ts points it here. This script speaks the
// binary's protocol and forwards each call to the same engine compiled to Wasm
// (@prisma/schema-engine-wasm, an npm package), which reaches PostgreSQL through
// @prisma/adapter-pg. Nothing is downloaded.
//
// Protocol (as the CLI uses it, prisma 7.10):
//   schema-engine --version                                   -> one line on stdout
//   schema-engine --datasource '{"url":…}' cli <command>      -> one-shot, errors as JSON on stderr
//   schema-engine [--datamodels <file>]… --datasource '{…}'   -> JSON-RPC 2.0, one message per
//                                                               line on stdin/stdout, logs on stderr
//
// Each workaround below names the upstream bug it exists for (why this file exists at all:
// docs/adr/0002-prisma-without-engine-downloads.md). Remove one only after checking the bug is
// fixed in the pinned versions.
/* global WebAssembly -- Node global, absent from the lint config's list for .mjs files */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';

// This file lives in the project's tools/, so the project's node_modules is found from here,
// whatever working directory the CLI spawns us in (it uses the schema's folder).
const require = createRequire(import.meta.url);
const pg = require('pg');
const { parse: parseConnectionString } = require('pg-connection-string');
const { PrismaPg } = require('@prisma/adapter-pg');
const { bindMigrationAwareSqlAdapterFactory } = require('@prisma/driver-adapter-utils');

// The package's "exports" hide its package.json and its .wasm file: find its folder through
// the main entry instead.
const WASM_PKG_DIR = path.dirname(require.resolve('@prisma/schema-engine-wasm'));

// ---- command line ----------------------------------------------------------------------------

function parseArgs(argv) {
  const args = { version: false, datamodels: [], datasource: undefined, cliCommand: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--version' || a === '-V') args.version = true;
    else if (a === '--datamodels') args.datamodels.push(argv[++i]);
    else if (a === '--datasource') args.datasource = JSON.parse(argv[++i]);
    // The Wasm engine has no preview features or extension types to enable: skip the value.
    else if (a === '--enabled-preview-features' || a === '--extension-types') i++;
    else if (a === 'cli') args.cliCommand = argv[++i];
  }
  return args;
}

// ---- PostgreSQL plumbing -----------------------------------------------------------------------

// Upstream bug: adapter-pg has no column type for the catalog types `name` (OID 19) and
// `"char"` (OID 18), which the engine's introspection queries return, and fails with
// UnsupportedNativeDataType. Both are plain text to the engine: report them as `text` (OID 25).
// (This process only runs the engine, so patching pg here affects nothing else.)
const OID = { CHAR: 18, NAME: 19, TEXT: 25 };
const addFields = pg.Result.prototype.addFields;
pg.Result.prototype.addFields = function addFieldsAsText(fields) {
  for (const f of fields) if (f.dataTypeID === OID.NAME || f.dataTypeID === OID.CHAR) f.dataTypeID = OID.TEXT;
  return addFields.call(this, fields);
};

const quoteIdent = (name) => `"${String(name).replaceAll('"', '""')}"`;

/**
 * A URL as discrete pg fields, so `database` can be overridden (pg lets `connectionString` win
 * over every other field). Prisma's `?schema=x` is not a libpq parameter: the binary turns it
 * into the search path, so do the same.
 */
function connectionConfig(url) {
  const { schema, ...config } = parseConnectionString(url);
  if (schema) config.options = `${config.options ?? ''} -c search_path=${quoteIdent(schema)}`.trim();
  return { config, schema: schema || undefined };
}

const adapterOptions = (schema) => (schema ? { schema } : undefined);

/**
 * Upstream bug: adapter-pg's executeScript splits a migration on every `;` and sends the pieces
 * one by one. That breaks any statement with a `;` inside it — a plpgsql function body (our
 * AuditLog trigger), a string literal, a comment — and loses the all-or-nothing behaviour of
 * the binary, which sends the whole script at once. Send it whole, through the simple query
 * protocol (which accepts many statements and runs them as one implicit transaction).
 */
function sendScriptsWhole(adapter) {
  adapter.executeScript = async function executeScript(script) {
    try {
      await this.underlyingDriver().query(script);
    } catch (error) {
      this.onError(error); // rethrows as the DriverAdapterError the engine expects
    }
  };
  return adapter;
}

/**
 * adapter-pg's factory, with working shadow databases.
 *
 * Upstream bug: PrismaPg.connectToShadowDb() creates `prisma_migrate_shadow_db_*` and then
 * connects with `{ ...config, database }`; given a connection string, pg ignores `database`,
 * so the shadow is silently the MAIN database and `migrate dev` replays every migration on it.
 * Given discrete fields it connects to the right database but drops it while its own pool is
 * still connected, which fails. So create the temporary database, hand out a pool on it, and
 * drop it after that pool has ended.
 */
class SlipwayPgFactory extends PrismaPg {
  /** Shadow databases this process created and has not dropped yet (cleaned up on exit). */
  static leftovers = new Map();

  constructor(datasource) {
    const main = connectionConfig(datasource.url);
    super(main.config, adapterOptions(main.schema));
    this.main = main;
    this.shadowUrl = datasource.shadowDatabaseUrl;
  }

  async connect() {
    return sendScriptsWhole(await super.connect());
  }

  async connectToShadowDb() {
    return this.shadowUrl ? this.connectToGivenShadowDb() : this.connectToTemporaryShadowDb();
  }

  /** `datasource.shadowDatabaseUrl` is set: reset its schema first, as the binary does. */
  async connectToGivenShadowDb() {
    const { config } = connectionConfig(this.shadowUrl);
    const schema = this.main.schema ?? 'public';
    const client = new pg.Client(config);
    await client.connect();
    try {
      await client.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE; CREATE SCHEMA ${quoteIdent(schema)}`);
    } finally {
      await client.end();
    }
    const shadow = { ...config, options: this.main.config.options }; // same search_path as the main database
    return sendScriptsWhole(await new PrismaPg(shadow, adapterOptions(this.main.schema)).connect());
  }

  async connectToTemporaryShadowDb() {
    const database = `prisma_migrate_shadow_db_${randomUUID().replaceAll('-', '')}`;
    const admin = this.main.config;
    await runSql(admin, `CREATE DATABASE ${quoteIdent(database)}`);
    SlipwayPgFactory.leftovers.set(database, admin);
    if (this.main.schema) {
      // Upstream behaviour kept: a non-default `?schema=` must exist in the shadow DB too.
      await runSql({ ...admin, database }, `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(this.main.schema)}`);
    }
    const adapter = sendScriptsWhole(
      await new PrismaPg({ ...admin, database }, adapterOptions(this.main.schema)).connect(),
    );
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      try {
        await dispose(); // ends the pool on the shadow database first
      } finally {
        await dropShadowDb(database);
      }
    };
    return adapter;
  }
}

async function dropShadowDb(database) {
  const admin = SlipwayPgFactory.leftovers.get(database);
  if (!admin) return;
  SlipwayPgFactory.leftovers.delete(database);
  // WITH (FORCE) (PostgreSQL 13+): a connection the engine leaked must not keep the database alive.
  await runSql(admin, `DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`).catch(() => {});
}

async function runSql(config, sql) {
  const client = new pg.Client(config);
  await client.connect();
  try {
    if (sql) await client.query(sql);
  } finally {
    await client.end();
  }
}

// ---- errors and logs on stderr -------------------------------------------------------------

const log = (level, fields) =>
  process.stderr.write(JSON.stringify({ level, target: 'schema_engine::logger', fields }) + '\n');

/** The binary's user-facing error codes for the connection failures the CLI handles itself. */
function connectionError(error, { host, port, database }) {
  const at = `${host}:${port ?? 5432}`;
  switch (error.code) {
    case '3D000': // invalid_catalog_name: the CLI answers P1003 by creating the database
      return ['P1003', `Database \`${database}\` does not exist on the database server at \`${at}\`.`];
    case '28P01':
    case '28000':
      return ['P1000', `Authentication failed against database server at \`${host}\`: ${error.message}`];
    case '42P04':
      return ['P1009', `Database \`${database}\` already exists on the database server at \`${at}\``];
    default:
      return ['P1001', `Can't reach database server at \`${at}\`: ${error.message}`];
  }
}

// ---- one-shot mode: `schema-engine --datasource … cli <command>` --------------------------------

async function runCliCommand(datasource, command) {
  // Upstream bug: the CLI drops the first stderr line of a one-shot command (the binary's
  // start-up log) and parses the rest. Without this line our ERROR line would be the one
  // dropped, and the user would see a bare "Schema engine error:".
  log('INFO', { message: `slipway schema-engine stand-in: cli ${command}` });
  const { config } = connectionConfig(datasource.url);
  const maintenance = { ...config, database: 'postgres' };
  try {
    switch (command) {
      case 'can-connect-to-database':
        await runSql(config);
        break;
      case 'create-database':
        await runSql(maintenance, `CREATE DATABASE ${quoteIdent(config.database)}`);
        process.stdout.write(`Database '${config.database}' was successfully created.\n`);
        break;
      case 'drop-database':
        await runSql(maintenance, `DROP DATABASE ${quoteIdent(config.database)}`);
        break;
      default:
        log('ERROR', { error_code: 'P1000', message: `The stand-in does not implement \`cli ${command}\`.` });
        return 1;
    }
    return 0;
  } catch (error) {
    const [error_code, message] = connectionError(error, config);
    log('ERROR', { error_code, message });
    return 1;
  }
}

// ---- JSON-RPC mode -------------------------------------------------------------------------------

/**
 * Instantiates the Wasm engine by hand: the package's entry does `import … from "./x.wasm"`,
 * which Node cannot load without a flag.
 */
async function loadWasmEngine() {
  // The wasm-bindgen glue reports Rust panics through this global.
  globalThis.PRISMA_WASM_PANIC_REGISTRY ??= {
    message: '',
    get() {
      return this.message;
    },
    set_message(m) {
      this.message = `RuntimeError: ${m}`;
    },
  };
  const glue = await import(path.join(WASM_PKG_DIR, 'schema_engine_bg.js'));
  const bytes = fs.readFileSync(path.join(WASM_PKG_DIR, 'schema_engine_bg.wasm'));
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { './schema_engine_bg.js': glue });
  glue.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  return glue.SchemaEngine;
}

/** RPC names the CLI sends whose Wasm method is named differently. */
const METHOD_ALIASES = { getDatabaseVersion: 'version' };

async function serveRpc({ datamodels, datasource }) {
  if (!datasource?.url) throw new Error('no datasource url: set datasource.url in prisma.config.ts');
  const SchemaEngine = await loadWasmEngine();
  const engine = await SchemaEngine.new(
    { datamodels: datamodels.length ? datamodels.map((file) => [file, fs.readFileSync(file, 'utf8')]) : undefined },
    (line) => process.stderr.write(String(line).trimEnd() + '\n'), // already JSON log lines
    bindMigrationAwareSqlAdapterFactory(new SlipwayPgFactory(datasource)),
  );
  const send = (message) => process.stdout.write(JSON.stringify({ jsonrpc: '2.0', ...message }) + '\n');

  async function call(method, params) {
    try {
      return await engine[method](params);
    } catch (error) {
      // Upstream bug (Wasm engine): evaluateDataLoss needs the migrations' schema that
      // devDiagnostic caches through the shadow-DB factory, but devDiagnostic skips that when
      // the database has unapplied migrations (`migrate dev` after `--create-only`), and the
      // call fails with "shadow DB must be provided through an external factory". Warm the
      // cache and retry once.
      if (method !== 'evaluateDataLoss' || !/shadow DB must be provided/.test(error?.message ?? '')) throw error;
      await engine.devDiagnostic({ migrationsList: params.migrationsList, filters: params.filters });
      return await engine[method](params);
    }
  }

  async function handle({ id, method, params }) {
    const name = METHOD_ALIASES[method] ?? method;
    if (typeof engine[name] !== 'function') {
      const message = `The Wasm schema engine does not implement \`${method}\`.`;
      return send({ id, error: { code: -32601, message, data: { is_panic: false, message } } });
    }
    try {
      let result = await call(name, params);
      if (name === 'diff' && typeof result?.stdout === 'string') {
        // The binary does not return a diff: it asks the CLI to print it (a `print` request the
        // CLI acknowledges), and the CLI only prints what arrives that way.
        send({ id: `print-${id}`, method: 'print', params: { content: result.stdout } });
        result = { ...result, stdout: null };
      }
      send({ id, result: result ?? null });
    } catch (error) {
      const panic = error instanceof WebAssembly.RuntimeError;
      const message = panic ? globalThis.PRISMA_WASM_PANIC_REGISTRY.get() || error.message : (error?.message ?? String(error));
      send({
        id,
        error: {
          code: 4466,
          message: 'An error happened. Check the data field for details.',
          data: { is_panic: panic, message, error_code: error?.code, meta: error?.meta },
        },
      });
      if (panic) await exit(101); // the engine is unusable after a panic; the binary exits too
    }
  }

  // The binary handles one request at a time, in order.
  let queue = Promise.resolve();
  readline
    .createInterface({ input: process.stdin, crlfDelay: Infinity })
    .on('line', (line) => {
      if (!line.trim()) return;
      let message;
      try {
        message = JSON.parse(line);
      } catch {
        return;
      }
      if (message.method === undefined) return; // the CLI acknowledging one of our `print` requests
      queue = queue.then(() => handle(message));
    })
    .on('close', () => {
      // The CLI closes stdin when it is done with us.
      queue.then(() => {
        try {
          engine.free();
        } catch {
          // already freed after a panic
        }
        return exit(0);
      });
    });
}

/** Exits after dropping any shadow database an interrupted command left behind. */
async function exit(code) {
  await Promise.all([...SlipwayPgFactory.leftovers.keys()].map(dropShadowDb));
  process.exit(code);
}

// ---- main ------------------------------------------------------------------------------------------

const args = parseArgs(process.argv.slice(2));
if (args.version) {
  const { version } = JSON.parse(fs.readFileSync(path.join(WASM_PKG_DIR, 'package.json'), 'utf8'));
  // The CLI shows the part after the last dot as the engine's commit hash.
  process.stdout.write(`schema-engine-cli ${version.split('.').pop()} (slipway stand-in, @prisma/schema-engine-wasm ${version})\n`);
} else if (args.cliCommand) {
  process.exitCode = await runCliCommand(args.datasource ?? {}, args.cliCommand);
} else {
  // Ctrl-C reaches the whole process group: still drop the temporary shadow database.
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => exit(signal === 'SIGINT' ? 130 : 143));
  // Some engine failures surface as exceptions thrown from a wasm-bindgen callback, outside any
  // request's promise. Report them as the binary reports fatal errors (an ERROR log line, exit
  // 1), so the CLI shows "Error in Schema engine: <message>" instead of a bare stack trace.
  const fail = async (error) => {
    log('ERROR', { message: `slipway schema-engine stand-in: ${error?.stack ?? error}` });
    await exit(1);
  };
  process.once('uncaughtException', fail);
  process.once('unhandledRejection', fail);
  await serveRpc(args).catch(fail);
}
