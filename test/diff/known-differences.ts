/**
 * Queries whose Oxibase result currently differs from PostgreSQL 15. The differential harness runs
 * them and prints them, but does not fail on them; it DOES fail when one of them starts matching
 * (remove the entry then) or is no longer run, so this list always reflects reality.
 *
 * Each entry: the group (`suite/topic`) and exact SQL as written in the suite, what differs, and
 * the likely cause in the engine. Entries are grouped by cause (CAUSES); regenerate the raw material with
 * `OXIBASE_DIFF_DUMP=/tmp/mm.jsonl ./node_modules/.bin/node --test test/diff/*.test.ts`.
 */

export interface KnownDifference {
  readonly group: string;
  readonly sql: string;
  /** What differs (Oxibase vs PostgreSQL). */
  readonly differs: string;
  /** Diagnosis: the likely cause in the engine. */
  readonly cause: string;
}

/** Likely causes, keyed by a short id; several entries share one cause. */
export const CAUSES: Readonly<Record<string, string>> = {
  "unknown": "Overload/operator resolution with untyped string literals ('unknown'): PostgreSQL's func_select_candidate falls back to the string category (text) for unknown arguments, and otherwise to the category's preferred type (e.g. float8 for abs('x')); Oxibase reports 42725 'not unique'. Fix in src/plan/binder/resolve-function.ts (and the operator resolver).",
  "multidim": "Multi-dimensional arrays are modelled as nested one-dimensional arrays whose type carries the nesting (integer[][] as a distinct type). PostgreSQL arrays are rectangular N-dimensional values of one type regardless of dimensions: '{{a,b},{c,d}}' input, array_fill/array_ndims/array_length(a, 2)/array_dims/cardinality, slices per dimension, ragged constructors (2202E), and int[][] = int[] comparisons all follow from that.",
  "fundep": "GROUP BY a primary key should make the table's other columns functionally dependent (PostgreSQL accepts SELECT id, region ... GROUP BY id); Oxibase raises 42803.",
  "nestedagg": "Aggregates inside window functions over a grouped query (sum(sum(x)) OVER (...)) are rejected with 42803: the window's argument must be evaluated after grouping, not treated as a nested aggregate.",
  "tfcols": "unnest with several arrays (the multi-argument form, rows padded with NULL) is not implemented (42883).",
  "jsonrec": "jsonb_to_record / json_to_recordset (with a column definition list) are not implemented (42883).",
  "timetz": "current_time returns time without time zone; PostgreSQL returns time with time zone (timetz is not implemented).",
  "getbyte": "get_byte / set_byte (bytea) are not implemented (42883).",
  "lbound": "API value mapping limitation: arrays with a non-default lower bound ('[0:2]={1,2,3}') become plain JS arrays, so the bound is lost in results (array_lower is still right inside the engine). Not an engine bug; PostgreSQL prints [0:2]={1,2,3}.",
  "jsonnull": "API value mapping ambiguity: the JSON value null ('null'::json) is returned as JS null, indistinguishable from SQL NULL (the engine itself keeps them apart: 'null'::json IS NULL is false).",
};

export const KNOWN_DIFFERENCES: readonly KnownDifference[] = [
  // --- multidim: Multi-dimensional arrays are modelled as nested one-dimensional arrays whose type carries ...
  { group: "functions/arrays", cause: CAUSES["multidim"]!,
    sql: "SELECT array_length(ARRAY[[1, 2], [3, 4]], 2) AS a, array_ndims(ARRAY[[1], [2]]) AS b, array_dims(ARRAY[[1, 2, 3]]) AS c, array_upper(ARRAY[1, 2], 1) AS d, cardinality(ARRAY[[1, 2], [3, 4]]) AS e",
    differs: "rows differ. Oxibase: [[null, \"1\", \"[1:1]\", \"2\", \"2\"]]; PostgreSQL: [[\"2\", \"2\", \"[1:1][1:3]\", \"2\", \"4\"]]" },
  { group: "functions/arrays", cause: CAUSES["multidim"]!,
    sql: "SELECT array_fill(7, ARRAY[3]) AS a, array_fill(0, ARRAY[2, 2]) AS b",
    differs: "rows differ. Oxibase: [[\"{7,7,7}\", \"{0,0,0,0}\"]]; PostgreSQL: [[\"{7,7,7}\", \"{{0,0},{0,0}}\"]]" },
  { group: "functions/arrays", cause: CAUSES["multidim"]!,
    sql: "SELECT ARRAY[1, 2] = ARRAY[1, 2] AS a, ARRAY[1, NULL] = ARRAY[1, NULL] AS b, ARRAY[1, 2] <> ARRAY[2, 1] AS c, ARRAY[[1, 2]] = ARRAY[1, 2] AS d",
    differs: "Oxibase failed (42883), PostgreSQL succeeded. Oxibase: ERROR 42883; PostgreSQL: [[\"t\", \"t\", \"t\", \"f\"]]" },
  { group: "functions/arrays", cause: CAUSES["multidim"]!,
    sql: "SELECT array_cat(ARRAY[[1, 2]], ARRAY[[3, 4]]) AS a, (ARRAY[[1, 2], [3, 4]])[2][1] AS b, (ARRAY[[1, 2], [3, 4]])[1:2][2:2] AS c",
    differs: "rows differ. Oxibase: [[\"{{1,2},{3,4}}\", \"3\", \"{{3,4}}\"]]; PostgreSQL: [[\"{{1,2},{3,4}}\", \"3\", \"{{2},{4}}\"]]" },
  { group: "functions/arrays", cause: CAUSES["multidim"]!,
    sql: "SELECT array_append(ARRAY[[1, 2]], 3)",
    differs: "SQLSTATE 42883 vs 22000. Oxibase: ERROR 42883; PostgreSQL: ERROR 22000" },
  { group: "types/arrays", cause: CAUSES["multidim"]!,
    sql: "SELECT '{1,2,3}'::int[] AS a, '{{a,b},{c,d}}'::text[] AS b, '{\"a,b\",\"c\\\\d\"}'::text[] AS c",
    differs: "rows differ. Oxibase: [[\"{1,2,3}\", \"{a,b,c,d}\", \"{\\\"a,b\\\",\\\"c\\\\\\\\d\\\"}\"]]; PostgreSQL: [[\"{1,2,3}\", \"{{a,b},{c,d}}\", \"{\\\"a,b\\\",\\\"c\\\\\\\\d\\\"}\"]]" },
  { group: "types/arrays", cause: CAUSES["multidim"]!,
    sql: "SELECT ARRAY[[1,2],[3]]",
    differs: "Oxibase succeeded, PostgreSQL failed (2202E). Oxibase: [[\"{{1,2},{3}}\"]]; PostgreSQL: ERROR 2202E" },
  // --- fundep: GROUP BY a primary key should make the table's other columns functionally dependent (Postg...
  { group: "aggregates/group-by", cause: CAUSES["fundep"]!,
    sql: "SELECT id, region FROM sales GROUP BY id ORDER BY id",
    differs: "Oxibase failed (42803), PostgreSQL succeeded. Oxibase: ERROR 42803; PostgreSQL: [[\"1\", \"north\"], [\"2\", \"north\"], [\"3\", \"north\"]] (+7 rows)" },
  // --- nestedagg: Aggregates inside window functions over a grouped query (sum(sum(x)) OVER (...)) are rejec...
  { group: "windows/sales", cause: CAUSES["nestedagg"]!,
    sql: "SELECT region, yr, sum(amount) AS s, sum(sum(amount)) OVER (PARTITION BY region ORDER BY yr) AS cum FROM sales GROUP BY region, yr",
    differs: "Oxibase failed (42803), PostgreSQL succeeded. Oxibase: ERROR 42803; PostgreSQL: [[\"east\", \"2020\", \"15.00\", \"15.00\"], [\"east\", \"2022\", \"4.00\", \"19.00\"], [\"north\", \"2020\", \"25.00\", \"25.00\"]] (+5 rows)" },
  // --- tfcols: Table-function output column names: jsonb_array_elements / json_array_elements_text return...
  { group: "select/from-forms", cause: CAUSES["tfcols"]!,
    sql: "SELECT * FROM unnest(ARRAY[1, 2], ARRAY['a', 'b', 'c']) AS z(n, s)",
    differs: "Oxibase failed (42883), PostgreSQL succeeded. Oxibase: ERROR 42883; PostgreSQL: [[\"1\", \"a\"], [\"2\", \"b\"], [null, \"c\"]]" },
  // --- jsonrec: jsonb_to_record / json_to_recordset (with a column definition list) are not implemented (4...
  { group: "functions/json", cause: CAUSES["jsonrec"]!,
    sql: "SELECT * FROM jsonb_to_record('{\"a\": 1, \"b\": \"x\", \"c\": true}') AS r(a int, b text, c bool)",
    differs: "Oxibase failed (42883), PostgreSQL succeeded. Oxibase: ERROR 42883; PostgreSQL: [[\"1\", \"x\", \"t\"]]" },
  { group: "functions/json", cause: CAUSES["jsonrec"]!,
    sql: "SELECT * FROM json_to_recordset('[{\"a\": 1}, {\"a\": 2, \"b\": \"q\"}]') AS r(a int, b text)",
    differs: "Oxibase failed (42883), PostgreSQL succeeded. Oxibase: ERROR 42883; PostgreSQL: [[\"1\", null], [\"2\", \"q\"]]" },
  // --- timetz: current_time returns time without time zone; PostgreSQL returns time with time zone (timet...
  { group: "functions/datetime", cause: CAUSES["timetz"]!,
    sql: "SELECT current_date = now()::date AS a, now() = current_timestamp AS b, pg_typeof(now()) AS c, pg_typeof(localtimestamp) AS d, pg_typeof(current_time) AS e",
    differs: "rows differ. Oxibase: [[\"t\", \"t\", \"timestamp with time zone\", \"timestamp without time zone\", \"time without time zone\"]]; PostgreSQL: [[\"t\", \"t\", \"timestamp with time zone\", \"timestamp without time zone\", \"time with time zone\"]]" },
  // --- getbyte: get_byte / set_byte (bytea) are not implemented (42883).
  { group: "types/uuid-bytea", cause: CAUSES["getbyte"]!,
    sql: "SELECT get_byte('\\x0102'::bytea, 1) AS a, set_byte('\\x0102'::bytea, 0, 255) AS b, substring('\\x01020304'::bytea from 2 for 2) AS c",
    differs: "Oxibase failed (42883), PostgreSQL succeeded. Oxibase: ERROR 42883; PostgreSQL: [[\"2\", \"\\\\xff02\", \"\\\\x0203\"]]" },
  // --- lbound: API value mapping limitation: arrays with a non-default lower bound ('[0:2]={1,2,3}') beco...
  { group: "types/arrays", cause: CAUSES["lbound"]!,
    sql: "SELECT '[0:2]={1,2,3}'::int[] AS a, array_lower('[0:2]={1,2,3}'::int[], 1) AS b",
    differs: "rows differ. Oxibase: [[\"{1,2,3}\", \"0\"]]; PostgreSQL: [[\"[0:2]={1,2,3}\", \"0\"]]" },
  // --- jsonnull: API value mapping ambiguity: the JSON value null ('null'::json) is returned as JS null, in...
  { group: "types/json", cause: CAUSES["jsonnull"]!,
    sql: "SELECT id, j, js FROM docs ORDER BY id",
    differs: "row 3 differs. Oxibase: [[\"1\", \"{\\\"a\\\":1,\\\"b\\\":[1,2,{\\\"c\\\":\\\"x\\\"}],\\\"d\\\":null}\", \"{\\\"a\\\":1,\\\"b\\\":[1,2]}\"], [\"2\", \"{\\\"a\\\":2,\\\"e\\\":true}\", \"[1,\\\"two\\\",3.5]\"], [\"3\", \"[1,2,3]\", null]] (+1 rows); PostgreSQL: [[\"1\", \"{\\\"a\\\":1,\\\"b\\\":[1,2,{\\\"c\\\":\\\"x\\\"}],\\\"d\\\":null}\", \"{\\\"a\\\":1,\\\"b\\\":[1,2]}\"], [\"2\", \"{\\\"a\\\":2,\\\"e\\\":true}\", \"[1,\\\"two\\\",3.5]\"], [\"3\", \"[1,2,3]\", \"null\"]] (+1 rows)" },
];
