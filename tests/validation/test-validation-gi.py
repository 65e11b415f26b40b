#!/usr/bin/python3
# Validation from Python through GObject Introspection: a schema document,
# the built-in checks loaded from their plugin, a table built in Python,
# the report's counts, failure table and JSON summary.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import json
import sys

import gi
gi.require_version('Setl', '1.0')
from gi.repository import Setl  # noqa: E402

schema = Setl.Schema.new_from_data(
    '{"name": "p", "columns": [{"name": "age", "type": "int64",'
    ' "checks": [{"in_range": {"min_value": 0, "max_value": 120}}]}]}', -1, "p.json")
validator = Setl.Validator.new(schema, None)
validator.props.lazy = True

builder = Setl.ColumnBuilder.new(Setl.DataType.INT64)
for value in (1, -5, 200):
    builder.append_int64(value)
field = Setl.Field.new("age", Setl.DataType.INT64, True)
batch = Setl.RecordBatch.new([field], [builder.finish()])
table = Setl.Table.new([field], [batch])

report = validator.validate(table, None)
assert not report.get_valid()
assert report.count(Setl.ValidationReason.CHECK_FAILED, "age", "in_range") == 2
cases = report.get_failure_cases()
assert cases.get_n_rows() == 2
summary = json.loads(report.to_json(False))
assert summary["DATA"]["check_failed"][0]["count"] == 2, summary
assert summary["DATA"]["check_failed"][0]["failure_cases"] == ["-5", "200"], summary

# An empty interval is refused when the validator is built.
bad = Setl.Schema.new_from_data(
    '{"name": "p", "columns": [{"name": "age", "type": "int64",'
    ' "checks": [{"in_range": {"min_value": 5, "max_value": 1}}]}]}', -1, "bad.json")
try:
    Setl.Validator.new(bad, None)
except gi.repository.GLib.Error as e:
    assert "the interval is empty" in e.message, e.message
else:
    sys.exit("an empty interval was accepted")
print("ok")
