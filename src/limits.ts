/**
 * Every limit Oxibase enforces, in one place, each with its reason. Exceeding one is reported with a
 * SQLSTATE of class 54 (program_limit_exceeded / statement_too_complex) at the boundary where the
 * input arrives. Units go last in names (Bytes, Ms, Count).
 */
export const Limits = {
  /** Longest SQL text accepted in one call: bounds lexer/parser memory. */
  sqlLengthBytesMax: 64 * 1024 * 1024,
  /** Expression nesting: the parser and binder recurse, and V8's stack is finite. */
  expressionDepthMax: 1000,
  /** Nested statements/subqueries, for the same reason. */
  queryDepthMax: 200,
  /** Columns in one table, as PostgreSQL (MaxHeapAttributeNumber). */
  tableColumnsMax: 1600,
  /** Columns in one result row / select list (PostgreSQL's MaxTupleAttributeNumber). */
  selectColumnsMax: 1664,
  /** Identifier length in bytes; longer names are truncated like PostgreSQL's NAMEDATALEN-1. */
  identifierBytesMax: 63,
  /** Parameters in one statement ($1..$n), as the wire protocol's Int16 count allows. */
  parametersMax: 65535,
  /** Function arguments (PostgreSQL's FUNC_MAX_ARGS). */
  functionArgumentsMax: 100,
  /** Text value length: PostgreSQL's 1 GB varlena limit. */
  textBytesMax: 1024 * 1024 * 1024 - 1,
  /** NUMERIC digits before/after the decimal point (PostgreSQL). */
  numericPrecisionMax: 1000,
  numericWeightDigitsMax: 131072,
  numericScaleDigitsMax: 16383,
  /**
   * Longest single timer the job scheduler sets; it re-plans against the clock on waking, so wall
   * clock jumps are noticed within this time (and Node's 2^31 ms timer ceiling is never reached).
   */
  schedulerMaxSleepMs: 60 * 60 * 1000,
  /**
   * Slots of large updating or deleting write logs whose garbage may wait for an idle moment
   * (txn-manager.ts): past this the regular collection takes it at a commit, bounding memory
   * and that collection's pause (about a microsecond a slot).
   */
  gcDeferredSlotsMax: 256 * 1024,
  /** How soon idle-time garbage collection looks again while a transaction holds it back. */
  gcIdleRetryMs: 100,
  /** Rows per executor batch: amortizes per-call overhead without blowing caches. */
  batchRowsMax: 1024,
  /** Prepared statements per session: bounds memory held by a client. */
  preparedStatementsPerSessionMax: 10000,
  /** Savepoint nesting in one transaction. */
  savepointDepthMax: 10000,
  /** Recursive CTE iterations before an error (configurable per session). */
  recursionIterationsDefault: 1_000_000,
  /**
   * Nested user routine calls (functions calling functions, triggers firing triggers): bounds the
   * JS stack a runaway recursion can use; exceeding it is 54001 like PostgreSQL's max_stack_depth.
   */
  routineCallDepthMax: 100,
  /**
   * Nested entries into one JavaScript routine's sandbox (it calls itself through SQL): they share
   * one WebAssembly stack, which must fail with 54001 before it overflows.
   */
  scriptReentryDepthMax: 24,
  /** Entries kept in the in-memory routine log (pg_catalog.oxibase_routine_log), oldest dropped. */
  routineLogEntriesMax: 10_000,
  /** Rows in a single VALUES list. */
  valuesRowsMax: 10_000_000,
  /** One PostgreSQL wire message (Query, Parse, Bind, CopyData...): the largest SQL text plus
   *  room for parameters; a length header above it is a protocol violation (08P01) before any
   *  byte of the body is buffered. */
  pgMessageBytesMax: 80 * 1024 * 1024,
  /** A startup packet, as PostgreSQL's MAX_STARTUP_PACKET_LENGTH. */
  pgStartupBytesMax: 10_000,
  /** Concurrent wire connections per server: bounds sockets, sessions and buffers. */
  pgConnectionsMax: 1000,
  /** A client that sent part of a message and then nothing for this long is disconnected. */
  pgMessageStallMsMax: 60_000,
  /** Startup + authentication must finish within this (PostgreSQL's authentication_timeout). */
  pgStartupMsMax: 60_000,
  /** Received but unprocessed bytes before the socket is paused (pipelining backpressure). */
  pgReceiveBufferBytesMax: 4 * 1024 * 1024,
  /** Rows buffered in one COPY FROM batch before they are inserted. */
  pgCopyBatchRowsMax: 1000,
} as const;
