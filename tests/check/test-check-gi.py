#!/usr/bin/python3
# test-check-gi.py: SetlCheck from Python through GObject Introspection.
#
# A check written in Python: a Setl.Check subclass that names itself and
# its column types through the class methods (set_check_name,
# add_supported_type), takes a GObject property as its parameter,
# validates it in do_prepare and implements do_check_value, element-wise.
# The base class loops over the column and makes nulls pass.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import sys
import unittest

try:
    import gi
    gi.require_version('GLib', '2.0')
    gi.require_version('GObject', '2.0')
    gi.require_version('Setl', '1.0')
    from gi.repository import GLib, GObject, Setl
except (ImportError, ValueError) as e:
    # No silent skip: a CI without python3-gi or the typelib must fail.
    print('cannot load Setl through GObject Introspection: %s' % e, file=sys.stderr)
    sys.exit(1)


class AtLeast(Setl.Check):
    __gtype_name__ = 'PyAtLeastCheck'

    minimum = GObject.Property(type=GObject.TYPE_INT64, default=0,
                               minimum=-1000, maximum=1000,
                               nick='Minimum', blurb='Smallest value that passes')

    def do_prepare(self):
        if self.minimum == 13:
            raise GLib.Error.new_literal(Setl.check_error_quark(),
                                         'Check “at_least”: parameter “minimum”: unlucky',
                                         Setl.CheckError.INVALID_PARAMETER)
        return True

    def do_check_value(self, value):
        return value >= self.minimum


AtLeast.set_check_name('at_least')
AtLeast.add_supported_type(Setl.DataType.INT64)
AtLeast.add_supported_type(Setl.DataType.DOUBLE)


def int_column(values):
    b = Setl.ColumnBuilder.new(Setl.DataType.INT64)
    for v in values:
        if v is None:
            b.append_null()
        else:
            b.append_int64(v)
    return b.finish()


class CheckFromPython(unittest.TestCase):
    def test_metadata(self):
        check = AtLeast()
        self.assertEqual(check.get_check_name(), 'at_least')
        self.assertEqual(check.get_supported_types(),
                         [Setl.DataType.INT64, Setl.DataType.DOUBLE])
        self.assertFalse(check.is_vectorized())
        self.assertFalse(check.can_synthesize())
        self.assertFalse(check.supports_type(Setl.DataType.STRING))

    def test_run(self):
        values = [5, -3, None, 0, 12, -1, None, 7]
        check = AtLeast(minimum=1)
        ok, n_failed, rows = check.run(int_column(values))
        self.assertTrue(ok)
        want = [i for i, v in enumerate(values) if v is not None and v < 1]
        self.assertEqual(rows, want)
        self.assertEqual(n_failed, len(want))

        result = check.check_column(int_column(values))
        self.assertEqual(result.get_length(), len(values))
        for i, v in enumerate(values):
            self.assertEqual(result.get_bool(i), v is None or v >= 1)

    def test_base_properties(self):
        check = AtLeast(mostly=0.5, level=Setl.CheckLevel.WARNING,
                        error_message='too small')
        self.assertEqual(check.props.mostly, 0.5)
        self.assertEqual(check.get_level(), Setl.CheckLevel.WARNING)
        self.assertEqual(check.get_error_message(), 'too small')
        self.assertTrue(check.passes(5, 10))
        self.assertFalse(check.passes(6, 10))
        self.assertEqual(check.describe(), 'at_least(minimum=0)')

    def test_prepare_error(self):
        check = AtLeast(minimum=13)
        with self.assertRaises(GLib.Error) as caught:
            check.prepare()
        self.assertTrue(caught.exception.matches(Setl.check_error_quark(),
                                                 Setl.CheckError.INVALID_PARAMETER))
        self.assertIn('parameter “minimum”', caught.exception.message)
        check.props.minimum = 2
        self.assertTrue(check.prepare())

    def test_unsupported_type(self):
        b = Setl.ColumnBuilder.new(Setl.DataType.STRING)
        b.append_string(b'x')
        with self.assertRaises(GLib.Error) as caught:
            AtLeast().run(b.finish())
        self.assertTrue(caught.exception.matches(Setl.check_error_quark(),
                                                 Setl.CheckError.UNSUPPORTED_TYPE))


if __name__ == '__main__':
    unittest.main(verbosity=2)
