#!/usr/bin/python3
"""Writes tests/validation/cases/: Pandera's own test cases as data files.

Each case is a folder with data.csv (a typed header: name:type; an empty
field is null, "" an empty string), schema.json, expected.csv (the failure
cases: schema_context, column, check, check_number, failure_case, row) and
optionally case.json (validator options, expected counts, expected output)
and output.csv (the rows a filtered pass gives).

Sources, from unionai-oss/pandera:
- tests/core/test_checks_builtin.py: every parametrization of the
  succeeding and failing tests of TestGreaterThan, TestGreaterThanOrEqualTo,
  TestLessThan, TestLessThanOrEqualTo, TestInRange, TestEqualTo,
  TestNotEqualTo, TestIsin, TestNotin, TestStrMatches, TestStrContains,
  TestStrStartsWith, TestStrEndsWith, TestStrLength. One case per test
  class and outcome; each parametrization is one column, padded with
  nulls (checks ignore nulls, Pandera's default ignore_na=True). The
  expected failure cases are the values Pandera's test expects, at the rows
  where they occur. The *_with_none tests (which use ignore_na=False, an
  option libsetl does not have) become the none_* cases: a null passes every
  check, and in a non-nullable column is one not_nullable failure.
- tests/core/test_schemas.py: test_lazy_dataframe_validation_error,
  test_lazy_validation_multiple_checks, test_lazy_dataframe_validation_nullable,
  test_lazy_dataframe_validation_with_checks,
  test_lazy_dataframe_validation_nullable_with_checks,
  test_lazy_dataframe_unique, test_different_unique_settings,
  test_dataframe_schema_strict, and from tests/pandas/test_schemas.py
  test_drop_invalid_for_dataframe_schema and test_drop_invalid_for_column.

Run it from anywhere; it rewrites the cases it knows and leaves others.
"""
import csv
import io
import json
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(HERE, "cases")

TS = "timestamp"


def ts(day):
    """A pd.Timestamp("2015-02-DD") as data, parameter and failure case."""
    return ("2015-02-%02dT00:00:00Z" % day, "2015-02-%02d" % day, "2015-02-%02d 00:00:00" % day)


def jdump(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def render_field(value):
    if value is None:
        return ""
    text = str(value)
    if text == "" or any(c in text for c in ',"\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def write_csv(path, header, rows):
    with open(path, "w", encoding="utf-8") as f:
        f.write(",".join(header) + "\n")
        for row in rows:
            f.write(",".join(render_field(v) for v in row) + "\n")


def fmt_value(kind, v):
    """The failure_case text libsetl writes for a value."""
    if v is None:
        return None
    if kind == "int64":
        return str(v)
    if kind == "double":
        return repr(float(v))
    if kind == "bool":
        return "true" if v else "false"
    return str(v)


def write_case(name, columns, schema, expected, options=None, output=None):
    """columns: list of (name, type, values); expected: list of tuples."""
    folder = os.path.join(CASES, name)
    if os.path.isdir(folder):
        shutil.rmtree(folder)
    os.makedirs(folder)
    n = max((len(c[2]) for c in columns), default=0)
    header = ["%s:%s" % (c[0], c[1]) for c in columns]
    rows = []
    for i in range(n):
        rows.append([c[2][i] if i < len(c[2]) else None for c in columns])
    write_csv(os.path.join(folder, "data.csv"), header, rows)
    with open(os.path.join(folder, "schema.json"), "w", encoding="utf-8") as f:
        json.dump(schema, f, indent=2, ensure_ascii=False)
        f.write("\n")
    write_csv(os.path.join(folder, "expected.csv"),
              ["schema_context", "column", "check", "check_number", "failure_case", "row"],
              expected)
    if options:
        with open(os.path.join(folder, "case.json"), "w", encoding="utf-8") as f:
            json.dump(options, f, indent=2, ensure_ascii=False)
            f.write("\n")
    if output is not None:
        ocols, orows = output
        write_csv(os.path.join(folder, "output.csv"), ["%s:%s" % c for c in ocols], orows)


def describe(check, param):
    """The check as libsetl's report names it (setl_schema_check_describe)."""
    if isinstance(param, dict):
        return "%s(%s)" % (check, ", ".join("%s=%s" % (k, jdump(v)) for k, v in param.items()))
    return "%s(%s)" % (check, jdump(param))


def check_case(name, check, params, kind_of, cases, failing):
    """cases: list of (values, param, failure_values). One column each."""
    columns = []
    schema_columns = []
    expected = []
    for i, (values, param, failures) in enumerate(cases):
        kind = kind_of(values, param)
        col = "c%d" % i
        data_values = [v[0] if isinstance(v, tuple) else v for v in values]
        shown = [v[2] if isinstance(v, tuple) else fmt_value(kind, v) for v in values]
        p = param
        if isinstance(p, tuple):
            p = p[1]
        if isinstance(p, dict):
            p = {k: (v[1] if isinstance(v, tuple) else v) for k, v in p.items()}
        if isinstance(p, list):
            p = [v[1] if isinstance(v, tuple) else v for v in p]
        columns.append((col, kind, data_values))
        schema_columns.append({"name": col, "type": kind, "nullable": True,
                               "checks": [{check: p}]})
        fail_shown = set(f[2] if isinstance(f, tuple) else fmt_value(kind, f) for f in failures)
        for row, text in enumerate(shown):
            if text in fail_shown:
                expected.append(("Column", col, describe(check, p), 0, text, row))
    schema = {"name": "pandera_" + name, "columns": schema_columns}
    write_case(name, columns, schema, expected,
               {"lazy": True, "valid": not failing,
                "source": "pandera tests/core/test_checks_builtin.py"})


def kind_of(values, param):
    v = values[0]
    if isinstance(v, tuple):
        return TS
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int64"
    if isinstance(v, float):
        return "double"
    return "string"


T1, T2, T3, T4 = ts(1), ts(2), ts(3), ts(4)
TJ = ("2015-01-01T00:00:00Z", "2015-01-01", "2015-01-01 00:00:00")

# TestGreaterThan
check_case("gt_succeeding", "gt", None, kind_of, [
    ((1, 2, 3), 0, []), ((1, 2, 3), -1, []), ((T1, T2, T3), TJ, []), (("b", "c"), "a", [])], False)
check_case("gt_failing", "gt", None, kind_of, [
    ((1, 2, 3), 1, [1]), ((3, 2, 1), 1, [1]), ((1, 2, 3), 2, [1, 2]),
    ((T1, T2, T3), T2, [T1, T2]), (("b", "c"), "b", ["b"])], True)
# TestGreaterThanOrEqualTo
check_case("ge_succeeding", "ge", None, kind_of, [
    ((1, 2, 3), 1, []), ((1, 2, 3), -1, []), ((T1, T2, T3), T1, []), (("b", "a"), "a", [])], False)
check_case("ge_failing", "ge", None, kind_of, [
    ((1, 2, 3), 2, [1]), ((3, 2, 1), 2, [1]), ((1, 2, 3), 3, [1, 2]),
    ((T1, T2, T3), T2, [T1]), (("b", "c"), "c", ["b"])], True)
# TestLessThan
check_case("lt_succeeding", "lt", None, kind_of, [
    ((1, 2, 3), 4, []), ((-1, 2, 3), 4, []), ((T1, T2, T3), T4, []), (("b", "c"), "d", [])], False)
check_case("lt_failing", "lt", None, kind_of, [
    ((1, 2, 3), 3, [3]), ((3, 2, 1), 3, [3]), ((1, 2, 3), 2, [3, 2]),
    ((T1, T2, T3), T2, [T2, T3]), (("b", "c"), "c", ["c"])], True)
# TestLessThanOrEqualTo
check_case("le_succeeding", "le", None, kind_of, [
    ((1, 2, 3), 3, []), ((-1, 2, 3), 3, []), ((T1, T2, T3), T3, []), (("b", "a"), "b", [])], False)
check_case("le_failing", "le", None, kind_of, [
    ((1, 2, 3), 2, [3]), ((3, 2, 1), 2, [3]), ((1, 2, 3), 1, [2, 3]),
    ((T1, T2, T3), T2, [T3]), (("b", "c"), "b", ["c"])], True)


def rng(lo, hi, inc_min=True, inc_max=True):
    d = {"min_value": lo, "max_value": hi}
    if not inc_min:
        d["include_min"] = False
    if not inc_max:
        d["include_max"] = False
    return d


# TestInRange
check_case("in_range_succeeding", "in_range", None, kind_of, [
    ((1, 2, 3), rng(0, 4), []), ((1, 2, 3), rng(0, 4, False, False), []),
    ((1, 2, 3), rng(1, 3), []), ((-1, 2, 3), rng(-1, 3), []),
    ((T1, T2, T3), rng(T1, T3), []), (("b", "c"), rng("b", "c"), []),
    (("b", "c"), rng("a", "d", False, False), [])], False)
check_case("in_range_failing", "in_range", None, kind_of, [
    ((1, 2, 3), rng(0, 2), [3]), ((1, 2, 3), rng(2, 3), [1]),
    ((1, 2, 3), rng(1, 3, True, False), [3]), ((1, 2, 3), rng(1, 3, False, True), [1]),
    ((-1, 2, 3), rng(-1, 3, False), [-1]), ((T1, T2, T3), rng(T1, T2), [T3]),
    (("a", "c"), rng("b", "c"), ["a"]), (("b", "c"), rng("b", "c", False, True), ["b"]),
    (("b", "c"), rng("b", "c", True, False), ["c"])], True)
# TestEqualTo
check_case("eq_succeeding", "eq", None, kind_of, [
    ((1, 1), 1, []), ((-1, -1, -1), -1, []), ((T1, T1), T1, []), (("foo", "foo"), "foo", [])], False)
check_case("eq_failing", "eq", None, kind_of, [
    ((1, 2), 1, [2]), ((-1, -2, 3), -1, [-2, 3]), ((T1, T2), T1, [T2]),
    (("foo", "bar"), "foo", ["bar"])], True)
# TestNotEqualTo
check_case("ne_succeeding", "ne", None, kind_of, [
    ((1, 1), 2, []), ((-1, -1, -1), -2, []), ((T1, T1), T2, []), (("foo", "foo"), "bar", [])], False)
check_case("ne_failing", "ne", None, kind_of, [
    ((1, 2), 1, [1]), ((-1, -2, 3), -1, [-1]), ((T1, T2), T1, [T1]),
    (("foo", "bar"), "foo", ["foo"])], True)
# TestIsin (a set or a Series of allowed values is a list here; a string
# stands for its characters)
check_case("isin_succeeding", "isin", None, kind_of, [
    ((1, 1), [1, 2, 3], []), ((-1, -1, -1), [-2, -1], []), ((-1, -1, -1), [-2, -1], []),
    ((T1, T1), [T1], []), (("foo", "foo"), ["foo", "bar"], []), (("f", "o"), "foobar", [])], False)
check_case("isin_failing", "isin", None, kind_of, [
    ((1, 2), [2], [1]), ((-1, -2, 3), [-2, -3], [-1, 3]), ((-1, -2, 3), [-2, 3], [-1]),
    ((T1, T2), [T1], [T2]), (("foo", "bar"), ["foo"], ["bar"]), (("foo", "f"), "foobar", ["foo"])], True)
# TestNotin
check_case("notin_succeeding", "notin", None, kind_of, [
    ((1, 1), [2, 3], []), ((-1, -1, -1), [-2, 1], []), ((-1, -1, -1), [-2, 1], []),
    ((T1, T1), [T2], []), (("foo", "foo"), ["foobar", "bar"], []), (("f", "o"), "bar", [])], False)
check_case("notin_failing", "notin", None, kind_of, [
    ((1, 2), [2], [2]), ((-1, -2, 3), [-2, -3], [-2]), ((-1, -2, 3), [-2, 3], [-2, 3]),
    ((T1, T2), [T1], [T1]), (("foo", "bar"), ["foo"], ["foo"]), (("foo", "f"), "foobar", ["f"])], True)
# TestStrMatches
check_case("str_matches_succeeding", "str_matches", None, kind_of, [
    (("foo", "fooo"), r"fo", []), (("foo", "bar"), r"[a-z]+", []),
    (("24.55", "24"), r"(\d+)\.?(\d+)?", []), (("abcdef", "abcccdef"), r"abc+(?=def)", [])], False)
check_case("str_matches_failing", "str_matches", None, kind_of, [
    (("foo", "_foo"), r"fo", ["_foo"]), (("foo", "bar", "lamp"), r"[a-k]+", ["lamp"]),
    (("24.55", "24.5.6"), r"(\d+)\.?(\d+)?$", ["24.5.6"])], True)
# TestStrContains
check_case("str_contains_succeeding", "str_contains", None, kind_of, [
    (("foo", "fooo", "barfoo"), r"fo", []), (("foo", "bar", "5abc"), r"[a-z]+", []),
    (("24.55", "24", "-24.55-"), r"\d+\.?\d+?", []),
    (("abcdef", "abcccdef", "-abcdef-"), r"abc+(?=def)", [])], False)
check_case("str_contains_failing", "str_contains", None, kind_of, [
    (("foo", "_foo", "f-o"), r"fo", ["f-o"]), (("foo", "xyz", "lamp"), r"[a-k]+", ["xyz"]),
    (("24.55", "24.5.6"), r"^\d+\.?\d+?$", ["24.5.6"])], True)
# TestStrStartsWith
check_case("str_startswith_succeeding", "str_startswith", None, kind_of, [
    (("abc", "abcdef"), "ab", []), ((r"$a\dbc", r"$a\dbcdef"), r"$a\d", [])], False)
check_case("str_startswith_failing", "str_startswith", None, kind_of, [
    (("abc", "abcdef", " abc"), "ab", [" abc"]), (("abc def", "def abc"), "def", ["abc def"])], True)
# TestStrEndsWith
check_case("str_endswith_succeeding", "str_endswith", None, kind_of, [
    (("abc", "defabc"), "bc", []), ((r"bc^a\d", r"abc^a\d"), r"^a\d", [])], False)
check_case("str_endswith_failing", "str_endswith", None, kind_of, [
    (("abc", "abcdef", " abc"), "bc", ["abcdef"]), (("abc", "abc "), "bc", ["abc "]),
    (("abc def", "def abc"), "def", ["def abc"])], True)


def slen(lo, hi):
    d = {}
    if lo is not None:
        d["min_value"] = lo
    if hi is not None:
        d["max_value"] = hi
    return d


# TestStrLength
check_case("str_length_succeeding", "str_length", None, kind_of, [
    (("abc", "defabc"), slen(1, 6), []), (("abc", "defabc"), slen(None, 6), []),
    (("abc", "defabc"), slen(1, None), [])], False)
check_case("str_length_failing", "str_length", None, kind_of, [
    (("abc", "defabc"), slen(1, 5), ["defabc"]), (("abc", "defabc"), slen(None, 5), ["defabc"]),
    (("abc", "defabc"), slen(4, None), ["abc"])], True)

# The *_with_none tests: nulls pass checks; a non-nullable column reports
# each null once as not_nullable, and the checks still see the other values.
none_columns = [
    ("gt_int", "int64", [2, None], {"gt": 1}),
    ("gt_ts", TS, [T2[0], None], {"gt": T1[1]}),
    ("gt_str", "string", ["b", None], {"gt": "a"}),
    ("in_range_int", "int64", [2, None], {"in_range": {"min_value": 0, "max_value": 4}}),
    ("eq_int", "int64", [-1, None, -1], {"eq": -1}),
    ("isin_str", "string", ["f", None], {"isin": "foo"}),
    ("str_matches", "string", ["foo", None, "fooo"], {"str_matches": "fo"}),
    ("str_contains", "string", [None, "fooo"], {"str_contains": "fo"}),
    ("str_startswith", "string", [None, "abc", "abcdef"], {"str_startswith": "ab"}),
    ("str_endswith", "string", [None, "abc", "defabc"], {"str_endswith": "bc"}),
    ("str_length", "string", [None, "defabc"], {"str_length": {"min_value": 1, "max_value": 6}}),
]
for nullable in (True, False):
    columns, schema_columns, expected = [], [], []
    for name, kind, values, check in none_columns:
        # Pad to three rows with a passing value, not with nulls.
        values = list(values) + [next(v for v in values if v is not None)] * (3 - len(values))
        columns.append((name, kind, values))
        schema_columns.append({"name": name, "type": kind, "nullable": nullable, "checks": [check]})
        if not nullable:
            for row, v in enumerate(values):
                if v is None:
                    expected.append(("Column", name, "not_nullable", None, None, row))
    write_case("none_nullable" if nullable else "none_not_nullable", columns,
               {"name": "pandera_none", "columns": schema_columns}, expected,
               {"lazy": True, "valid": nullable,
                "source": "pandera tests/core/test_checks_builtin.py *_with_none"})

# test_schemas.py: test_lazy_dataframe_validation_error. The table check
# "dataframe_not_equal_1" is a lambda and the index a pandas notion: both
# left out; int_col2 holds strings where the schema says int64.
write_case("lazy_dataframe_validation_error", [
    ("int_col", "int64", [1, 2, 6]),
    ("int_col2", "string", ["a", "b", "c"]),
    ("float_col", "double", [1.0, -2.0, 3.0]),
    ("str_col", "string", ["foo", "b", "c"]),
    ("unknown_col", "string", [None, None, None]),
], {"name": "lazy", "strict": True, "columns": [
    {"name": "int_col", "type": "int64", "checks": [{"gt": 5}]},
    {"name": "int_col2", "type": "int64"},
    {"name": "float_col", "type": "double", "checks": [{"lt": 0}]},
    {"name": "str_col", "type": "string", "checks": [{"isin": ["foo", "bar"]}]},
    {"name": "not_in_dataframe", "type": "int64"},
]}, [
    ("DataFrameSchema", "not_in_dataframe", "column_in_dataframe", None, "not_in_dataframe", None),
    ("DataFrameSchema", "unknown_col", "column_in_schema", None, "unknown_col", None),
    ("Column", "int_col2", "dtype('int64')", None, "string", None),
    ("Column", "int_col", "gt(5)", 0, "1", 0),
    ("Column", "int_col", "gt(5)", 0, "2", 1),
    ("Column", "float_col", "lt(0)", 0, "1.0", 0),
    ("Column", "float_col", "lt(0)", 0, "3.0", 2),
    ("Column", "str_col", 'isin(["foo","bar"])', 0, "b", 1),
    ("Column", "str_col", 'isin(["foo","bar"])', 0, "c", 2),
], {"lazy": True, "valid": False,
    "counts": [{"reason": "column_not_in_dataframe", "count": 1},
               {"reason": "column_not_in_schema", "count": 1},
               {"reason": "wrong_dtype", "count": 1},
               {"reason": "check_failed", "count": 6}],
    "source": "pandera tests/core/test_schemas.py test_lazy_dataframe_validation_error"})

# Eager: the same data stops at the schema-level failures.
write_case("eager_stops_at_first", [
    ("int_col", "int64", [1, 2, 6]),
    ("str_col", "string", ["foo", "b", "c"]),
], {"name": "eager", "columns": [
    {"name": "int_col", "type": "int64", "checks": [{"gt": 5}]},
    {"name": "str_col", "type": "string", "checks": [{"isin": ["foo", "bar"]}]},
    {"name": "missing", "type": "int64"},
]}, [
    ("DataFrameSchema", "missing", "column_in_dataframe", None, "missing", None),
], {"lazy": False, "valid": False, "complete": False, "batch_sizes": [0]})

# test_lazy_validation_multiple_checks: col2's NaN cannot become an int64
# (a null here, so the not_nullable failure; "is_even" is a lambda, left out).
write_case("lazy_validation_multiple_checks", [
    ("col1", "int64", [0, 1, 2, 3, 4]),
    ("col2", "double", [None, 53.0, 23.0, None, 2.0]),
], {"name": "multiple", "columns": [
    {"name": "col1", "type": "int64", "coerce": True, "nullable": False,
     "checks": [{"in_range": {"min_value": 1, "max_value": 4}}]},
    {"name": "col2", "type": "int64", "coerce": True, "nullable": False, "checks": [{"gt": 3}]},
]}, [
    ("Column", "col1", "in_range(min_value=1, max_value=4)", 0, "0", 0),
    ("Column", "col2", "not_nullable", None, None, 0),
    ("Column", "col2", "not_nullable", None, None, 3),
    ("Column", "col2", "gt(3)", 0, "2", 4),
], {"lazy": True, "valid": False,
    "source": "pandera tests/core/test_schemas.py test_lazy_validation_multiple_checks"})

# test_lazy_dataframe_validation_nullable: int_column holds a null, so pandas
# made it float64; here it stays int64 and only the nulls are reported.
write_case("lazy_dataframe_validation_nullable", [
    ("int_column", "int64", [1, None, 3]),
    ("float_column", "double", [0.1, 1.2, None]),
    ("str_column", "string", [None, "foo", "bar"]),
], {"name": "nullable", "strict": True, "columns": [
    {"name": "int_column", "type": "int64", "nullable": False},
    {"name": "float_column", "type": "double", "nullable": False},
    {"name": "str_column", "type": "string", "nullable": False},
]}, [
    ("Column", "int_column", "not_nullable", None, None, 1),
    ("Column", "float_column", "not_nullable", None, None, 2),
    ("Column", "str_column", "not_nullable", None, None, 0),
], {"lazy": True, "valid": False,
    "counts": [{"reason": "series_contains_nulls", "count": 3}],
    "source": "pandera tests/core/test_schemas.py test_lazy_dataframe_validation_nullable"})

# test_lazy_dataframe_validation_with_checks
write_case("lazy_dataframe_validation_with_checks", [
    ("analysis_path", "string", ["/", "/", "/", "/", "/"]),
    ("run_id", "string", ["1", "2", "3", "4", "5"]),
    ("sample_type", "string", ["DNA", "RNA", "DNA", "RNA", "RNA"]),
    ("sample_valid", "string", ["Yes", "YES", "YES", "NO", "NO"]),
], {"name": "with_checks", "strict": False, "coerce": True, "columns": [
    {"name": "analysis_path", "type": "string"},
    {"name": "run_id", "type": "string"},
    {"name": "sample_type", "type": "string", "checks": [{"isin": ["DNA", "RNA"]}]},
    {"name": "sample_valid", "type": "string", "checks": [{"isin": ["Yes", "No"]}]},
]}, [
    ("Column", "sample_valid", 'isin(["Yes","No"])', 0, "YES", 1),
    ("Column", "sample_valid", 'isin(["Yes","No"])', 0, "YES", 2),
    ("Column", "sample_valid", 'isin(["Yes","No"])', 0, "NO", 3),
    ("Column", "sample_valid", 'isin(["Yes","No"])', 0, "NO", 4),
], {"lazy": True, "valid": False,
    "source": "pandera tests/core/test_schemas.py test_lazy_dataframe_validation_with_checks"})

# test_lazy_dataframe_validation_nullable_with_checks
write_case("lazy_dataframe_validation_nullable_with_checks", [
    ("id", "string", ["ID001", None, "XXX"]),
], {"name": "ids", "columns": [
    {"name": "id", "type": "string", "required": True, "unique": True,
     "checks": [{"str_matches": r"^ID[\d]{3}$"}]},
]}, [
    ("Column", "id", "not_nullable", None, None, 1),
    ("Column", "id", 'str_matches("^ID[\\\\d]{3}$")', 0, "XXX", 2),
], {"lazy": True, "valid": False,
    "source": "pandera tests/core/test_schemas.py test_lazy_dataframe_validation_nullable_with_checks"})

# test_lazy_dataframe_unique
write_case("lazy_dataframe_unique", [
    ("A", "int64", [1, 2, 3, 4]), ("B", "int64", [1, 2, 3, 1]), ("C", "int64", [1, 2, 3, 1]),
], {"name": "unique", "strict": False, "coerce": True, "unique": ["B", "C"], "columns": [
    {"name": "A", "type": "int64"}, {"name": "B", "type": "int64"}, {"name": "C", "type": "int64"},
]}, [
    ("DataFrameSchema", "B", "multiple_fields_uniqueness", None, "1", 0),
    ("DataFrameSchema", "B", "multiple_fields_uniqueness", None, "1", 3),
    ("DataFrameSchema", "C", "multiple_fields_uniqueness", None, "1", 0),
    ("DataFrameSchema", "C", "multiple_fields_uniqueness", None, "1", 3),
], {"lazy": True, "valid": False,
    "counts": [{"reason": "duplicates", "count": 4}],
    "source": "pandera tests/core/test_schemas.py test_lazy_dataframe_unique"})
write_case("lazy_dataframe_unique_ab", [
    ("A", "int64", [1, 2, 3, 4]), ("B", "int64", [1, 2, 3, 1]), ("C", "int64", [1, 2, 3, 1]),
], {"name": "unique", "unique": ["A", "B"], "columns": [
    {"name": "A", "type": "int64"}, {"name": "B", "type": "int64"}, {"name": "C", "type": "int64"},
]}, [], {"lazy": False, "valid": True})

# test_different_unique_settings, for a unique column and a schema-level
# unique "a"
answers = {"exclude_first": [4, 5, 6, 7], "all": [0, 1, 2, 4, 5, 6, 7], "exclude_last": [0, 1, 2, 4]}
a = [1, 2, 3, 4, 1, 1, 2, 3]
for mode, rows in answers.items():
    write_case("unique_column_" + mode, [("a", "int64", a)],
               {"name": "u", "columns": [{"name": "a", "type": "int64", "unique": True,
                                          "report_duplicates": mode}]},
               [("Column", "a", "field_uniqueness", None, str(a[r]), r) for r in rows],
               {"lazy": True, "valid": False,
                "source": "pandera tests/core/test_schemas.py test_different_unique_settings"})
    write_case("unique_schema_" + mode, [("a", "int64", a)],
               {"name": "u", "unique": "a", "report_duplicates": mode,
                "columns": [{"name": "a", "type": "int64"}]},
               [("DataFrameSchema", "a", "multiple_fields_uniqueness", None, str(a[r]), r) for r in rows],
               {"lazy": True, "valid": False,
                "source": "pandera tests/core/test_schemas.py test_different_unique_settings"})

# test_dataframe_schema_strict
strict_data = [("a", "int64", [1, 2, 3]), ("b", "int64", [1, 2, 3]), ("c", "int64", [1, 2, 3])]
strict_columns = [{"name": "a", "type": "int64", "nullable": True},
                  {"name": "b", "type": "int64", "nullable": True}]
write_case("strict_true", strict_data, {"name": "s", "strict": True, "columns": strict_columns},
           [("DataFrameSchema", "c", "column_in_schema", None, "c", None)],
           {"lazy": True, "valid": False,
            "source": "pandera tests/core/test_schemas.py test_dataframe_schema_strict"})
write_case("strict_true_subset", strict_data[:2], {"name": "s", "strict": True, "columns": strict_columns},
           [], {"lazy": False, "valid": True})
write_case("strict_filter", strict_data, {"name": "s", "strict": "filter", "columns": strict_columns},
           [], {"lazy": False, "valid": True, "output": True},
           output=([("a", "int64"), ("b", "int64")], [[1, 1], [2, 2], [3, 3]]))
write_case("strict_filter_missing", [strict_data[0], strict_data[2]],
           {"name": "s", "strict": "filter", "columns": strict_columns},
           [("DataFrameSchema", "b", "column_in_dataframe", None, "b", None)],
           {"lazy": True, "valid": False})

# test_drop_invalid_for_dataframe_schema (the lambda x >= 3 is ge(3))
write_case("drop_invalid_checks", [("numbers", "int64", [1, 2, 3, 4, 5])],
           {"name": "d", "columns": [{"name": "numbers", "type": "int64", "checks": [{"ge": 3}]}]},
           [("Column", "numbers", "ge(3)", 0, "1", 0), ("Column", "numbers", "ge(3)", 0, "2", 1)],
           {"lazy": True, "valid": False, "drop_invalid_rows": True, "output": True, "dropped": 2},
           output=([("numbers", "int64")], [[3], [4], [5]]))
write_case("drop_invalid_dtype", [("numbers", "int64", [1, 2, 3, 4, 5])],
           {"name": "d", "columns": [{"name": "numbers", "type": "string"}]},
           [("Column", "numbers", "dtype('string')", None, "int64", None)],
           {"lazy": True, "valid": False, "drop_invalid_rows": True, "output": True, "dropped": 5},
           output=([("numbers", "int64")], []))
write_case("drop_invalid_two_columns", [("letters", "string", list("abcde")), ("numbers", "int64", [1, 2, 3, 4, 5])],
           {"name": "d", "columns": [{"name": "letters", "type": "string"},
                                     {"name": "numbers", "type": "int64", "checks": [{"ge": 3}]}]},
           [("Column", "numbers", "ge(3)", 0, "1", 0), ("Column", "numbers", "ge(3)", 0, "2", 1)],
           {"lazy": True, "valid": False, "drop_invalid_rows": True, "output": True, "dropped": 2},
           output=([("letters", "string"), ("numbers", "int64")], [["c", 3], ["d", 4], ["e", 5]]))
# test_drop_invalid_for_column: [None, 1, "c"] as a string column with a
# null and a value that is not a letter (the int in pandas' object column
# is "1" here, with a pattern standing for "is a string of letters").
write_case("drop_invalid_nulls", [("letters", "string", [None, "1", "c"])],
           {"name": "d", "columns": [{"name": "letters", "type": "string",
                                      "checks": [{"pattern": "[a-z]+"}]}]},
           [("Column", "letters", "not_nullable", None, None, 0),
            ("Column", "letters", 'pattern("[a-z]+")', 0, "1", 1)],
           {"lazy": True, "valid": False, "drop_invalid_rows": True, "output": True, "dropped": 2},
           output=([("letters", "string")], [["c"]]))
# test_drop_invalid_for_model_schema: in_range 3..5 on 1..6
write_case("drop_invalid_in_range", [("counter", "int64", [1, 2, 3, 4, 5, 6])],
           {"name": "d", "columns": [{"name": "counter", "type": "int64",
                                      "checks": [{"in_range": {"min_value": 3, "max_value": 5}}]}]},
           [("Column", "counter", "in_range(min_value=3, max_value=5)", 0, str(v), v - 1) for v in (1, 2, 6)],
           {"lazy": True, "valid": False, "drop_invalid_rows": True, "output": True, "dropped": 3},
           output=([("counter", "int64")], [[3], [4], [5]]))

print("cases written to", CASES)
