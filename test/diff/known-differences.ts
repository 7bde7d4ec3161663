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
  "emptyarr": "ARRAY[] with an explicit cast (ARRAY[]::int[]) fails with 42P18: the binder must propagate the cast's target type into the empty ARRAY constructor (PostgreSQL allows it only when cast).",
  "srf": "Set-returning functions in the SELECT list (unnest, generate_series, regexp_matches, generate_subscripts) are rejected with 0A000; PostgreSQL expands them (ProjectSet), several SRFs in lockstep padded with NULLs.",
  "dmlcte": "Data-modifying statements inside WITH (INSERT/UPDATE/DELETE ... RETURNING in a CTE, and WITH on INSERT) are not supported (0A000).",
  "dmlcte-cascade": "Cascade: the preceding data-modifying CTE statement failed on Oxibase, so table contents differ.",
  "row": "Row values: ROW(...) IS NOT NULL must be true only when every field is non-null (Oxibase treats it as NOT (row IS NULL)); ordering comparisons of rows (<, >) are unsupported (0A000).",
  "record": "Composite/record values: no equality operator for anonymous records (count(DISTINCT (a, b))), no whole-row references to a table alias (SELECT x FROM t AS x), no row_to_json/to_jsonb over records.",
  "fundep": "GROUP BY a primary key should make the table's other columns functionally dependent (PostgreSQL accepts SELECT id, region ... GROUP BY id); Oxibase raises 42803.",
  "nestedagg": "Aggregates inside window functions over a grouped query (sum(sum(x)) OVER (...)) are rejected with 42803: the window's argument must be evaluated after grouping, not treated as a nested aggregate.",
  "pctnum": "percentile_cont over numeric input crashes with a JavaScript TypeError (no SQLSTATE: \"Cannot read properties of undefined (reading 'isNaN')\"): the numeric interpolation path of percentile_cont calls a Decimal method on undefined (probably reading a neighbouring row out of range, or a missing numeric helper import).",
  "frame": "Window frame validation missing: negative frame offsets must raise 22013, and RANGE with an offset PRECEDING/FOLLOWING needs exactly one ORDER BY column (42P20); Oxibase silently evaluates.",
  "distincton": "DISTINCT ON expressions must match the leftmost ORDER BY expressions (42P10); Oxibase does not check.",
  "using": "Chained JOIN ... USING: after `a JOIN b USING (id)` the merged column id appears once in the join's output, so a further `JOIN c USING (id)` is valid; Oxibase sees both a.id and b.id and raises 42702.",
  "union": "Set-operation type resolution: an unknown literal branch ('a') is coerced to the other branch's type (integer) as in PostgreSQL's select_common_type, so the error is 22P02 from integer input; Oxibase raises 42804 'types cannot be matched'.",
  "tfcols": "Table-function output column names: jsonb_array_elements / json_array_elements_text return a column named value (and unnest with several arrays, the multi-argument form, is missing).",
  "jsonrec": "jsonb_to_record / json_to_recordset (with a column definition list) are not implemented (42883).",
  "position": "position(sub IN str) passes its arguments in the wrong order (it computes strpos(sub, str)): position('h' in 'hello') returns 0. Likely in the parser's special-form rewrite of POSITION.",
  "caret": "The ^@ (starts-with) operator is missing (starts_with() exists).",
  "namedargs": "Named-argument notation (name => value) is bound positionally: make_interval(years => 1, days => 2, hours => 3) is computed as make_interval(1, 2, 3).",
  "overlaps": "The OVERLAPS predicate is not parsed (42601).",
  "timetz": "current_time returns time without time zone; PostgreSQL returns time with time zone (timetz is not implemented).",
  "intervalin": "Interval input does not accept signed quantities inside the string ('1 month - 1 day', '1 day - 1 hour'); PostgreSQL allows a sign separated by a space.",
  "numpow": "numeric ^ numeric result scale: PostgreSQL's power_var gives at least 16 fractional digits (2::numeric ^ 100 = 1267650600228229401496703205376.0000000000000000); Oxibase drops the scale when the exponent is an integer.",
  "negzero": "Negative zero for float8: '-0'::float8 input and round(-0.4::float8) yield +0 (PostgreSQL prints -0); the float input path and round() (probably Math.sign/abs based) lose the sign.",
  "trunc": "Explicit casts to varchar(n)/char(n) must silently truncate (SQL standard, PostgreSQL); only assignment/implicit coercion raises 22001. Oxibase raises 22001 for 'abcdef'::varchar(3).",
  "neglit": "Literal typing: PostgreSQL types the unsigned literal 2147483648 as bigint before applying unary minus, so -(-2147483648) is bigint 2147483648; Oxibase folds -2147483648 into an int4 constant and overflows (22003).",
  "typeof": "pg_typeof(NULL) should be 'unknown' (Oxibase resolves the bare NULL to text).",
  "schema": "current_schema() returns 'oxibase' (the user name from \"$user\") although no such schema exists; PostgreSQL returns the first EXISTING schema on the search_path ('public').",
  "getbyte": "get_byte / set_byte (bytea) are not implemented (42883).",
  "lbound": "API value mapping limitation: arrays with a non-default lower bound ('[0:2]={1,2,3}') become plain JS arrays, so the bound is lost in results (array_lower is still right inside the engine). Not an engine bug; PostgreSQL prints [0:2]={1,2,3}.",
  "jsonnull": "API value mapping ambiguity: the JSON value null ('null'::json) is returned as JS null, indistinguishable from SQL NULL (the engine itself keeps them apart: 'null'::json IS NULL is false).",
  "aggdistinct": "array_agg(DISTINCT x) without ORDER BY: PostgreSQL's DISTINCT aggregates sort their input, so the result comes out sorted ({a,b}); Oxibase keeps first-seen order ({b,a}).",
};

export const KNOWN_DIFFERENCES: readonly KnownDifference[] = [
  // --- unknown: Overload/operator resolution with untyped string literals ('unknown'): PostgreSQL's func_s...
  { group: "expressions/like", cause: CAUSES["unknown"]!,
    sql: "SELECT 'abc' SIMILAR TO 'abc|xyz' AS a, 'abc' SIMILAR TO 'a' AS b, 'aaa' SIMILAR TO 'a{2,3}' AS c, 'ab' SIMILAR TO 'a+b?' AS d",
    differs: "Oxibase failed (42725), PostgreSQL succeeded. Oxibase: ERROR 42725; PostgreSQL: [[\"t\", \"f\", \"t\", \"t\"]]" },
  { group: "expressions/like", cause: CAUSES["unknown"]!,
    sql: "SELECT 'abc' LIKE NULL AS a, NULL LIKE 'a' AS b",
    differs: "Oxibase failed (42725), PostgreSQL succeeded. Oxibase: ERROR 42725; PostgreSQL: [[null, null]]" },
  { group: "expressions/like", cause: CAUSES["unknown"]!,
    sql: "SELECT 'a\\' LIKE 'a\\'",
    differs: "SQLSTATE 42725 vs 22025. Oxibase: ERROR 42725; PostgreSQL: ERROR 22025" },
  { group: "functions/string", cause: CAUSES["unknown"]!,
    sql: "SELECT length('hello') AS a, char_length('héllo') AS b, octet_length('héllo') AS c, bit_length('ab') AS d",
    differs: "Oxibase failed (42725), PostgreSQL succeeded. Oxibase: ERROR 42725; PostgreSQL: [[\"5\", \"5\", \"6\", \"16\"]]" },
  { group: "functions/string", cause: CAUSES["unknown"]!,
    sql: "SELECT 'abc' ~ 'b' AS a, 'abc' ~ '^b' AS b, 'ABC' ~* 'b' AS c, 'abc' !~* 'B' AS d",
    differs: "Oxibase failed (42725), PostgreSQL succeeded. Oxibase: ERROR 42725; PostgreSQL: [[\"t\", \"f\", \"t\", \"f\"]]" },
  { group: "functions/misc", cause: CAUSES["unknown"]!,
    sql: "SELECT abs('x')",
    differs: "SQLSTATE 42725 vs 22P02. Oxibase: ERROR 42725; PostgreSQL: ERROR 22P02" },
  { group: "types/text", cause: CAUSES["unknown"]!,
    sql: "SELECT 'ünïcödé' AS a, length('ünïcödé') AS b, octet_length('ünïcödé') AS c, upper('straße') AS d",
    differs: "Oxibase failed (42725), PostgreSQL succeeded. Oxibase: ERROR 42725; PostgreSQL: [[\"ünïcödé\", \"7\", \"11\", \"STRAßE\"]]" },
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
  // --- emptyarr: ARRAY[] with an explicit cast (ARRAY[]::int[]) fails with 42P18: the binder must propagate...
  { group: "functions/arrays", cause: CAUSES["emptyarr"]!,
    sql: "SELECT array_length(ARRAY[]::int[], 1) AS a, cardinality(ARRAY[]::int[]) AS b, array_upper(ARRAY[]::int[], 1) AS c",
    differs: "Oxibase failed (42P18), PostgreSQL succeeded. Oxibase: ERROR 42P18; PostgreSQL: [[null, \"0\", null]]" },
  { group: "types/arrays", cause: CAUSES["emptyarr"]!,
    sql: "SELECT ARRAY[1,2,3] AS a, ARRAY[[1,2],[3,4]] AS b, ARRAY[]::int[] AS c, ARRAY[1.5, 2] AS d, ARRAY[true, NULL] AS e",
    differs: "Oxibase failed (42P18), PostgreSQL succeeded. Oxibase: ERROR 42P18; PostgreSQL: [[\"{1,2,3}\", \"{{1,2},{3,4}}\", \"{}\", \"{1.5,2}\", \"{t,NULL}\"]]" },
  // --- srf: Set-returning functions in the SELECT list (unnest, generate_series, regexp_matches, gener...
  { group: "functions/string", cause: CAUSES["srf"]!,
    sql: "SELECT regexp_matches('a1b22c333', '\\d+', 'g') AS m",
    differs: "Oxibase failed (0A000), PostgreSQL succeeded. Oxibase: ERROR 0A000; PostgreSQL: [[\"{1}\"], [\"{22}\"], [\"{333}\"]]" },
  { group: "functions/arrays", cause: CAUSES["srf"]!,
    sql: "SELECT unnest(ARRAY['x', 'y']) AS v",
    differs: "Oxibase failed (0A000), PostgreSQL succeeded. Oxibase: ERROR 0A000; PostgreSQL: [[\"x\"], [\"y\"]]" },
  { group: "functions/misc", cause: CAUSES["srf"]!,
    sql: "SELECT generate_subscripts(ARRAY['a', 'b', 'c'], 1) AS s",
    differs: "Oxibase failed (0A000), PostgreSQL succeeded. Oxibase: ERROR 0A000; PostgreSQL: [[\"1\"], [\"2\"], [\"3\"]]" },
  { group: "select/from-forms", cause: CAUSES["srf"]!,
    sql: "SELECT unnest(ARRAY[1, 2, 3]) AS x, 7 AS y",
    differs: "Oxibase failed (0A000), PostgreSQL succeeded. Oxibase: ERROR 0A000; PostgreSQL: [[\"1\", \"7\"], [\"2\", \"7\"], [\"3\", \"7\"]]" },
  { group: "select/from-forms", cause: CAUSES["srf"]!,
    sql: "SELECT generate_series(1, 3) AS a, generate_series(1, 2) AS b",
    differs: "Oxibase failed (0A000), PostgreSQL succeeded. Oxibase: ERROR 0A000; PostgreSQL: [[\"1\", \"1\"], [\"2\", \"2\"], [\"3\", null]]" },
  // --- dmlcte: Data-modifying statements inside WITH (INSERT/UPDATE/DELETE ... RETURNING in a CTE, and WI...
  { group: "subqueries/cte-dml", cause: CAUSES["dmlcte"]!,
    sql: "WITH del AS (DELETE FROM q WHERE v > 25 RETURNING *) INSERT INTO q_log SELECT * FROM del",
    differs: "Oxibase failed (0A000), PostgreSQL succeeded. Oxibase: ERROR 0A000; PostgreSQL: []" },
  { group: "subqueries/cte-dml", cause: CAUSES["dmlcte"]!,
    sql: "WITH up AS (UPDATE q SET v = v + 1 RETURNING id, v) SELECT id, v FROM up ORDER BY id",
    differs: "Oxibase failed (0A000), PostgreSQL succeeded. Oxibase: ERROR 0A000; PostgreSQL: [[\"1\", \"11\"], [\"2\", \"21\"]]" },
  { group: "subqueries/cte-dml", cause: CAUSES["dmlcte"]!,
    sql: "WITH ins AS (INSERT INTO q VALUES (9, 90) RETURNING id) SELECT id * 2 AS x FROM ins",
    differs: "Oxibase failed (0A000), PostgreSQL succeeded. Oxibase: ERROR 0A000; PostgreSQL: [[\"18\"]]" },
  // --- dmlcte-cascade: Cascade: the preceding data-modifying CTE statement failed on Oxibase, so table contents d...
  { group: "subqueries/cte-dml", cause: CAUSES["dmlcte-cascade"]!,
    sql: "SELECT * FROM q_log",
    differs: "0 rows vs 1 rows. Oxibase: []; PostgreSQL: [[\"3\", \"30\"]]" },
  { group: "subqueries/cte-dml", cause: CAUSES["dmlcte-cascade"]!,
    sql: "SELECT id, v FROM q ORDER BY id",
    differs: "row 1 differs. Oxibase: [[\"1\", \"10\"], [\"2\", \"20\"], [\"3\", \"30\"]]; PostgreSQL: [[\"1\", \"11\"], [\"2\", \"21\"], [\"9\", \"90\"]]" },
  // --- row: Row values: ROW(...) IS NOT NULL must be true only when every field is non-null (Oxibase t...
  { group: "expressions/three-valued", cause: CAUSES["row"]!,
    sql: "SELECT ROW(1, NULL) IS NULL AS a, ROW(NULL, NULL) IS NULL AS b, ROW(1, 2) IS NOT NULL AS c, ROW(1, NULL) IS NOT NULL AS d",
    differs: "rows differ. Oxibase: [[\"f\", \"t\", \"t\", \"t\"]]; PostgreSQL: [[\"f\", \"t\", \"t\", \"f\"]]" },
  { group: "expressions/three-valued", cause: CAUSES["row"]!,
    sql: "SELECT ROW(1, 2) = ROW(1, 2) AS a, ROW(1, 2) < ROW(1, 3) AS b, ROW(1, NULL) = ROW(1, 2) AS c, ROW(2, NULL) > ROW(1, 5) AS d",
    differs: "Oxibase failed (0A000), PostgreSQL succeeded. Oxibase: ERROR 0A000; PostgreSQL: [[\"t\", \"t\", null, \"t\"]]" },
  // --- record: Composite/record values: no equality operator for anonymous records (count(DISTINCT (a, b)...
  { group: "aggregates/hr", cause: CAUSES["record"]!,
    sql: "SELECT count(DISTINCT (a, b)) AS n FROM t",
    differs: "Oxibase failed (42883), PostgreSQL succeeded. Oxibase: ERROR 42883; PostgreSQL: [[\"6\"]]" },
  { group: "functions/json", cause: CAUSES["record"]!,
    sql: "SELECT row_to_json(ROW(1, 'a')) AS a, (SELECT row_to_json(s) FROM (SELECT 1 AS x, 'y' AS y) s) AS b, (SELECT to_jsonb(s) FROM (SELECT 2 AS n, NULL::text AS m) s) AS c",
    differs: "Oxibase failed (42883), PostgreSQL succeeded. Oxibase: ERROR 42883; PostgreSQL: [[\"{\\\"f1\\\":1,\\\"f2\\\":\\\"a\\\"}\", \"{\\\"x\\\":1,\\\"y\\\":\\\"y\\\"}\", \"{\\\"m\\\":null,\\\"n\\\":2}\"]]" },
  { group: "select/from-forms", cause: CAUSES["record"]!,
    sql: "SELECT x FROM t AS x WHERE x.a = 1",
    differs: "Oxibase failed (42703), PostgreSQL succeeded. Oxibase: ERROR 42703; PostgreSQL: [[\"(1,one,1.50)\"]]" },
  // --- fundep: GROUP BY a primary key should make the table's other columns functionally dependent (Postg...
  { group: "aggregates/group-by", cause: CAUSES["fundep"]!,
    sql: "SELECT id, region FROM sales GROUP BY id ORDER BY id",
    differs: "Oxibase failed (42803), PostgreSQL succeeded. Oxibase: ERROR 42803; PostgreSQL: [[\"1\", \"north\"], [\"2\", \"north\"], [\"3\", \"north\"]] (+7 rows)" },
  // --- nestedagg: Aggregates inside window functions over a grouped query (sum(sum(x)) OVER (...)) are rejec...
  { group: "windows/sales", cause: CAUSES["nestedagg"]!,
    sql: "SELECT region, yr, sum(amount) AS s, sum(sum(amount)) OVER (PARTITION BY region ORDER BY yr) AS cum FROM sales GROUP BY region, yr",
    differs: "Oxibase failed (42803), PostgreSQL succeeded. Oxibase: ERROR 42803; PostgreSQL: [[\"east\", \"2020\", \"15.00\", \"15.00\"], [\"east\", \"2022\", \"4.00\", \"19.00\"], [\"north\", \"2020\", \"25.00\", \"25.00\"]] (+5 rows)" },
  // --- pctnum: percentile_cont over numeric input crashes with a JavaScript TypeError (no SQLSTATE: "Cann...
  { group: "aggregates/statistical", cause: CAUSES["pctnum"]!,
    sql: "SELECT g, percentile_cont(0.5) WITHIN GROUP (ORDER BY n) AS med FROM m GROUP BY g",
    differs: "Oxibase failed (NO-SQLSTATE), PostgreSQL succeeded. Oxibase: ERROR NO-SQLSTATE; PostgreSQL: [[\"1\", \"2\"], [\"2\", \"4.5\"], [\"3\", \"6\"]]" },
  // --- frame: Window frame validation missing: negative frame offsets must raise 22013, and RANGE with a...
  { group: "windows/frames", cause: CAUSES["frame"]!,
    sql: "SELECT id, sum(x) OVER (ORDER BY id ROWS BETWEEN -1 PRECEDING AND CURRENT ROW) AS s FROM w",
    differs: "Oxibase succeeded, PostgreSQL failed (22013). Oxibase: [[\"1\", null], [\"2\", null], [\"3\", null]] (+7 rows); PostgreSQL: ERROR 22013" },
  { group: "windows/frames", cause: CAUSES["frame"]!,
    sql: "SELECT id, sum(x) OVER (RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) AS s FROM w",
    differs: "Oxibase succeeded, PostgreSQL failed (42P20). Oxibase: [[\"1\", \"47\"], [\"2\", \"47\"], [\"3\", \"47\"]] (+7 rows); PostgreSQL: ERROR 42P20" },
  // --- distincton: DISTINCT ON expressions must match the leftmost ORDER BY expressions (42P10); Oxibase does...
  { group: "select/distinct-order", cause: CAUSES["distincton"]!,
    sql: "SELECT DISTINCT ON (region) region, id FROM sales ORDER BY id",
    differs: "Oxibase succeeded, PostgreSQL failed (42P10). Oxibase: [[\"north\", \"1\"], [\"south\", \"4\"], [\"east\", \"7\"]] (+1 rows); PostgreSQL: ERROR 42P10" },
  // --- using: Chained JOIN ... USING: after `a JOIN b USING (id)` the merged column id appears once in t...
  { group: "joins/eight-way", cause: CAUSES["using"]!,
    sql: "SELECT j1.id, j8.id AS id8 FROM j1 JOIN j2 USING (id) JOIN j3 USING (id) JOIN j4 USING (id) JOIN j5 USING (id) JOIN j6 USING (id) JOIN j7 USING (id) FULL JOIN j8 ON j8.id = j1.nxt",
    differs: "Oxibase failed (42702), PostgreSQL succeeded. Oxibase: ERROR 42702; PostgreSQL: [[\"1\", \"2\"], [\"2\", \"3\"], [\"3\", \"1\"]] (+2 rows)" },
  // --- union: Set-operation type resolution: an unknown literal branch ('a') is coerced to the other bra...
  { group: "select/set-ops", cause: CAUSES["union"]!,
    sql: "SELECT 1 UNION SELECT 'a'",
    differs: "SQLSTATE 42804 vs 22P02. Oxibase: ERROR 42804; PostgreSQL: ERROR 22P02" },
  // --- tfcols: Table-function output column names: jsonb_array_elements / json_array_elements_text return...
  { group: "select/from-forms", cause: CAUSES["tfcols"]!,
    sql: "SELECT * FROM unnest(ARRAY[1, 2], ARRAY['a', 'b', 'c']) AS z(n, s)",
    differs: "Oxibase failed (42883), PostgreSQL succeeded. Oxibase: ERROR 42883; PostgreSQL: [[\"1\", \"a\"], [\"2\", \"b\"], [null, \"c\"]]" },
  { group: "select/from-forms", cause: CAUSES["tfcols"]!,
    sql: "SELECT * FROM jsonb_array_elements('[1, \"two\", {\"three\": 3}]')",
    differs: "column names differ. Oxibase: [[\"1\"], [\"\\\"two\\\"\"], [\"{\\\"three\\\":3}\"]]; PostgreSQL: [[\"1\"], [\"\\\"two\\\"\"], [\"{\\\"three\\\":3}\"]]" },
  { group: "select/from-forms", cause: CAUSES["tfcols"]!,
    sql: "SELECT value FROM json_array_elements_text('[1, \"two\", null]')",
    differs: "Oxibase failed (42703), PostgreSQL succeeded. Oxibase: ERROR 42703; PostgreSQL: [[\"1\"], [\"two\"], [null]]" },
  // --- jsonrec: jsonb_to_record / json_to_recordset (with a column definition list) are not implemented (4...
  { group: "functions/json", cause: CAUSES["jsonrec"]!,
    sql: "SELECT * FROM jsonb_to_record('{\"a\": 1, \"b\": \"x\", \"c\": true}') AS r(a int, b text, c bool)",
    differs: "Oxibase failed (42883), PostgreSQL succeeded. Oxibase: ERROR 42883; PostgreSQL: [[\"1\", \"x\", \"t\"]]" },
  { group: "functions/json", cause: CAUSES["jsonrec"]!,
    sql: "SELECT * FROM json_to_recordset('[{\"a\": 1}, {\"a\": 2, \"b\": \"q\"}]') AS r(a int, b text)",
    differs: "Oxibase failed (42883), PostgreSQL succeeded. Oxibase: ERROR 42883; PostgreSQL: [[\"1\", null], [\"2\", \"q\"]]" },
  // --- position: position(sub IN str) passes its arguments in the wrong order (it computes strpos(sub, str)...
  { group: "functions/string", cause: CAUSES["position"]!,
    sql: "SELECT position('lo' in 'hello') AS a, strpos('hello', 'l') AS b, position('z' in 'hello') AS c",
    differs: "rows differ. Oxibase: [[\"0\", \"3\", \"0\"]]; PostgreSQL: [[\"4\", \"3\", \"0\"]]" },
  // --- caret: The ^@ (starts-with) operator is missing (starts_with() exists).
  { group: "functions/string", cause: CAUSES["caret"]!,
    sql: "SELECT starts_with('hello', 'he') AS a, 'hello' ^@ 'x' AS b",
    differs: "Oxibase failed (42883), PostgreSQL succeeded. Oxibase: ERROR 42883; PostgreSQL: [[\"t\", \"f\"]]" },
  // --- namedargs: Named-argument notation (name => value) is bound positionally: make_interval(years => 1, d...
  { group: "functions/datetime", cause: CAUSES["namedargs"]!,
    sql: "SELECT make_date(2024, 2, 29) AS a, make_time(13, 5, 6.5) AS b, make_timestamp(2024, 1, 2, 3, 4, 5.25) AS c, make_interval(years => 1, days => 2, hours => 3) AS d, make_interval(0, 0, 1, 1) AS e",
    differs: "rows differ. Oxibase: [[\"2024-02-29\", \"13:05:06.5\", \"2024-01-02 03:04:05.25\", \"1 year 2 mons 21 days\", \"8 days\"]]; PostgreSQL: [[\"2024-02-29\", \"13:05:06.5\", \"2024-01-02 03:04:05.25\", \"1 year 2 days 03:00:00\", \"8 days\"]]" },
  // --- overlaps: The OVERLAPS predicate is not parsed (42601).
  { group: "functions/datetime", cause: CAUSES["overlaps"]!,
    sql: "SELECT (DATE '2024-01-01', DATE '2024-06-01') OVERLAPS (DATE '2024-05-01', DATE '2024-12-31') AS a",
    differs: "Oxibase failed (42601), PostgreSQL succeeded. Oxibase: ERROR 42601; PostgreSQL: [[\"t\"]]" },
  // --- timetz: current_time returns time without time zone; PostgreSQL returns time with time zone (timet...
  { group: "functions/datetime", cause: CAUSES["timetz"]!,
    sql: "SELECT current_date = now()::date AS a, now() = current_timestamp AS b, pg_typeof(now()) AS c, pg_typeof(localtimestamp) AS d, pg_typeof(current_time) AS e",
    differs: "rows differ. Oxibase: [[\"t\", \"t\", \"timestamp with time zone\", \"timestamp without time zone\", \"time without time zone\"]]; PostgreSQL: [[\"t\", \"t\", \"timestamp with time zone\", \"timestamp without time zone\", \"time with time zone\"]]" },
  // --- intervalin: Interval input does not accept signed quantities inside the string ('1 month - 1 day', '1 ...
  { group: "functions/datetime", cause: CAUSES["intervalin"]!,
    sql: "SELECT date_trunc('month', '2024-05-17'::date)::date AS a, (date_trunc('month', '2024-05-17'::date) + interval '1 month - 1 day')::date AS last_day",
    differs: "Oxibase failed (22007), PostgreSQL succeeded. Oxibase: ERROR 22007; PostgreSQL: [[\"2024-05-01\", \"2024-05-31\"]]" },
  // --- numpow: numeric ^ numeric result scale: PostgreSQL's power_var gives at least 16 fractional digits...
  { group: "functions/math", cause: CAUSES["numpow"]!,
    sql: "SELECT 4::numeric ^ 0.5 AS a, 2::numeric ^ 100 AS b, 1.1 ^ 10 AS c",
    differs: "rows differ. Oxibase: [[\"2.0000000000000000\", \"1267650600228229401496703205376\", \"2.5937424601000000\"]]; PostgreSQL: [[\"2.0000000000000000\", \"1267650600228229401496703205376.0000000000000000\", \"2.5937424601000000\"]]" },
  // --- negzero: Negative zero for float8: '-0'::float8 input and round(-0.4::float8) yield +0 (PostgreSQL ...
  { group: "functions/math", cause: CAUSES["negzero"]!,
    sql: "SELECT ceil(-0.5::float8) AS a, round(-0.4::float8) AS b",
    differs: "rows differ. Oxibase: [[\"-0\", \"0\"]]; PostgreSQL: [[\"-0\", \"-0\"]]" },
  { group: "types/floats", cause: CAUSES["negzero"]!,
    sql: "SELECT 'Infinity'::float8 AS a, '-inf'::float8 AS b, 'NaN'::float8 AS c, '-0'::float8 AS d",
    differs: "rows differ. Oxibase: [[\"Infinity\", \"-Infinity\", \"NaN\", \"0\"]]; PostgreSQL: [[\"Infinity\", \"-Infinity\", \"NaN\", \"-0\"]]" },
  // --- trunc: Explicit casts to varchar(n)/char(n) must silently truncate (SQL standard, PostgreSQL); on...
  { group: "types/text", cause: CAUSES["trunc"]!,
    sql: "SELECT 'abcdef'::varchar(3) AS a, 'abcdef'::char(3) AS b",
    differs: "Oxibase failed (22001), PostgreSQL succeeded. Oxibase: ERROR 22001; PostgreSQL: [[\"abc\", \"abc\"]]" },
  // --- neglit: Literal typing: PostgreSQL types the unsigned literal 2147483648 as bigint before applying...
  { group: "expressions/arith-errors", cause: CAUSES["neglit"]!,
    sql: "SELECT -(-2147483648)",
    differs: "Oxibase failed (22003), PostgreSQL succeeded. Oxibase: ERROR 22003; PostgreSQL: [[\"2147483648\"]]" },
  // --- typeof: pg_typeof(NULL) should be 'unknown' (Oxibase resolves the bare NULL to text).
  { group: "functions/misc", cause: CAUSES["typeof"]!,
    sql: "SELECT pg_typeof(1::int2) AS a, pg_typeof('x'::varchar(3)) AS b, pg_typeof(ARRAY[1.5]) AS c, pg_typeof('{}'::jsonb) AS d, pg_typeof(NULL) AS e",
    differs: "rows differ. Oxibase: [[\"smallint\", \"character varying\", \"numeric[]\", \"jsonb\", \"text\"]]; PostgreSQL: [[\"smallint\", \"character varying\", \"numeric[]\", \"jsonb\", \"unknown\"]]" },
  // --- schema: current_schema() returns 'oxibase' (the user name from "$user") although no such schema ex...
  { group: "functions/misc", cause: CAUSES["schema"]!,
    sql: "SELECT current_schema() AS a, current_user = session_user AS b",
    differs: "rows differ. Oxibase: [[\"oxibase\", \"t\"]]; PostgreSQL: [[\"public\", \"t\"]]" },
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
  // --- aggdistinct: array_agg(DISTINCT x) without ORDER BY: PostgreSQL's DISTINCT aggregates sort their input,...
  { group: "functions/arrays", cause: CAUSES["aggdistinct"]!,
    sql: "SELECT array_agg(DISTINCT x) AS a FROM unnest(ARRAY['b', 'a', 'b']) x",
    differs: "rows differ. Oxibase: [[\"{b,a}\"]]; PostgreSQL: [[\"{a,b}\"]]" },
];
