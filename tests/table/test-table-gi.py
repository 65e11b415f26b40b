#!/usr/bin/python3
# test-table-gi.py: the data plane through GObject Introspection — builders,
# accessors, zero-copy slices and projections, and the Arrow C stream by
# address (what pyarrow's _export_to_c/_import_from_c hand over).
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import ctypes
import sys

import gi
gi.require_version('Setl', '1.0')
from gi.repository import GLib, Setl  # noqa: E402

failures = 0


def check(name, condition):
    global failures
    print(('ok' if condition else 'not ok') + ' - ' + name)
    if not condition:
        failures += 1


def build(data_type, values):
    builder = Setl.ColumnBuilder.new(data_type)
    for v in values:
        if v is None:
            builder.append_null()
        elif data_type == Setl.DataType.INT64:
            builder.append_int64(v)
        elif data_type == Setl.DataType.STRING:
            builder.append_string(v.encode('utf-8'))
        elif data_type == Setl.DataType.TIMESTAMP:
            builder.append_timestamp(v)
    return builder.finish()


ids = build(Setl.DataType.INT64, [1, None, 3, 4])
names = build(Setl.DataType.STRING, ['ä', 'b', None, 'dd'])
check('int64 values', [ids.get_int64(i) for i in (0, 2, 3)] == [1, 3, 4])
check('null count', ids.get_null_count() == 1 and ids.is_null(1))
check('dup_string gives None for null',
      names.dup_string(0) == 'ä' and names.dup_string(2) is None)
check('get_string gives bytes', bytes(names.get_string(3)) == b'dd')
ok, value = names.get_value(1)
check('get_value', ok and value == 'b')

fields = [Setl.Field.new('id', Setl.DataType.INT64, True),
          Setl.Field.new('name', Setl.DataType.STRING, True)]
batch = Setl.RecordBatch.new(fields, [ids, names])
check('batch rows', batch.get_n_rows() == 4)
try:
    Setl.RecordBatch.new(fields, [ids])
    check('mismatched batch refused', False)
except GLib.Error as e:
    check('mismatched batch refused', e.matches(Setl.data_error_quark(),
                                                Setl.DataError.INVALID))

table = Setl.Table.new(fields, [batch, batch.slice(1, 2)])
check('table rows', table.get_n_rows() == 6)
sliced = table.slice(3, 3)
check('table slice is a window onto the whole buffer',
      sliced.get_batch(0).get_column(0).get_buffer(1).get_data()
      == ids.get_buffer(1).get_data())
only_names = table.select_by_name(['name'])
check('projection keeps the column object',
      only_names.get_batch(0).get_column(0) == names)


class ArrowArrayStream(ctypes.Structure):
    _fields_ = [('get_schema', ctypes.c_void_p), ('get_next', ctypes.c_void_p),
                ('get_last_error', ctypes.c_void_p), ('release', ctypes.c_void_p),
                ('private_data', ctypes.c_void_p)]


stream = ArrowArrayStream()
table.export_to_c_stream_address(ctypes.addressof(stream))
check('stream exported', stream.release is not None)
back = Setl.Table.import_from_c_stream_address(ctypes.addressof(stream))
check('stream moved in', stream.release is None)
check('stream round trip', back.equal(table))

sys.exit(1 if failures else 0)
