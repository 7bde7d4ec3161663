/**
 * The sqllogictest runner library: record parsing, value formatting/hashing, the driver, and the
 * exclusion list of SQLite-only records. scripts/slt.ts is the command-line entry.
 */
export * from './records.ts';
export * from './format.ts';
export * from './driver.ts';
export * from './exclusions.ts';
