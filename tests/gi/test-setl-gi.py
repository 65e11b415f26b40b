#!/usr/bin/python3
# test-setl-gi.py: libsetl as seen from Python through GObject Introspection.
#
# Factories are written in Python (subclasses of Setl.Factory overriding the
# virtual methods), put in stages and run by a Setl.Pipeline, synchronously
# and on a GLib main loop. This is what an application developer using
# PyGObject does, so the test goes through the typelib built in the tree
# (GI_TYPELIB_PATH and LD_LIBRARY_PATH come from tests/meson.build).
#
# What PyGObject does with a Python exception raised in a vfunc that throws
# (pygobject 3.42, Debian 12):
#   - a GLib.Error is turned into the vfunc's GError (domain, code and
#     message kept) and the vfunc returns FALSE;
#   - any other exception is printed to sys.stderr (PyErr_Print) and the
#     vfunc returns FALSE *without* setting the GError. The factory then fails
#     with SETL_PIPELINE_ERROR_NO_OUTPUT "... without saying why"; the Python
#     message only reaches stderr.
# Both are tested below, as is returning False without an error.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import contextlib
import io
import json
import os
import sys
import threading
import time
import unittest

try:
    import gi
    gi.require_version('GLib', '2.0')
    gi.require_version('GObject', '2.0')
    gi.require_version('Gio', '2.0')
    gi.require_version('Setl', '1.0')
    from gi.repository import GLib, GObject, Gio, Setl
except (ImportError, ValueError) as e:
    # No silent skip: a CI without python3-gi or without the typelib must
    # show up as a failure.
    sys.stderr.write('test-setl-gi: cannot import Setl through PyGObject: %s\n'
                     '  GI_TYPELIB_PATH=%s\n' % (e, os.environ.get('GI_TYPELIB_PATH')))
    sys.exit(1)

MAIN_THREAD = threading.get_ident()


def int64_value(n):
    # PyGObject fills the vfunc's (out caller-allocates) GValue from the
    # Python object's own type: a bare int becomes a gint, whatever type the
    # caller initialised it to. An explicit GObject.Value keeps gint64.
    v = GObject.Value(GObject.TYPE_INT64)
    v.set_int64(n)
    return v


class Greeting(Setl.Factory):
    """A source: produces a string built from its `text` property."""
    __gtype_name__ = 'PyGreeting'

    text = GObject.Property(type=str, default='hello')

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.calls = []
        self.written = []
        self.value = None

    def do_get_output_type(self):
        return GObject.TYPE_STRING

    def do_read(self, cancellable):
        self.calls.append('read')
        self.value = self.props.text
        return True

    def do_process(self, cancellable):
        self.calls.append('process')
        self.value = self.value.upper()
        return True

    def do_write(self, cancellable):
        self.calls.append('write')
        self.written.append(self.value)
        return True

    def do_get(self):
        self.calls.append('get')
        return True, self.value


class Length(Setl.Factory):
    """Consumes a Greeting's output; produces its length as a gint64."""
    __gtype_name__ = 'PyLength'

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.add_input('text', GObject.TYPE_STRING, Greeting.__gtype__, None)
        self.seen = None
        self.threads = set()

    def do_get_output_type(self):
        return GObject.TYPE_INT64

    def do_process(self, cancellable):
        self.threads.add(threading.get_ident())
        self.seen = self.get_input('text')
        return True

    def do_get(self):
        return True, int64_value(len(self.seen))


class Shout(Setl.Factory):
    """Consumes an external string input."""
    __gtype_name__ = 'PyShout'

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.add_input('words', GObject.TYPE_STRING, Setl.External.__gtype__, None)
        self.result = None

    def do_get_output_type(self):
        return GObject.TYPE_STRING

    def do_process(self, cancellable):
        self.result = self.get_input('words') + '!'
        return True

    def do_get(self):
        return True, self.result


class Failing(Setl.Factory):
    """Fails in one phase in one of several ways, chosen by `how`."""
    __gtype_name__ = 'PyFailing'

    how = GObject.Property(type=str, default='gerror')
    phase = GObject.Property(type=str, default='process')

    def do_get_output_type(self):
        return GObject.TYPE_STRING

    def _maybe_fail(self, phase):
        if phase != self.props.phase:
            return True
        if self.props.how == 'gerror':
            raise GLib.Error('the disk is on fire', 'py-setl-test-error', 42)
        if self.props.how == 'exception':
            raise ValueError('boom from Python')
        if self.props.how == 'false':
            return False
        raise AssertionError('unknown failure mode ' + self.props.how)

    def do_read(self, cancellable):
        return self._maybe_fail('read')

    def do_process(self, cancellable):
        return self._maybe_fail('process')

    def do_write(self, cancellable):
        return self._maybe_fail('write')

    def do_get(self):
        if not self._maybe_fail('get'):
            return False, None
        return True, 'unreachable when failing'


class Waiter(Setl.Factory):
    """Blocks in process until its cancellable is cancelled (or 10 s)."""
    __gtype_name__ = 'PyWaiter'

    def do_get_output_type(self):
        return GObject.TYPE_STRING

    def do_process(self, cancellable):
        deadline = time.monotonic() + 10
        while not cancellable.is_cancelled():
            if time.monotonic() > deadline:
                raise GLib.Error('was never cancelled', 'py-setl-test-error', 1)
            time.sleep(0.005)
        cancellable.set_error_if_cancelled()
        return True

    def do_get(self):
        return True, 'done'


def new_pipeline(name='py', max_threads=1):
    p = Setl.Pipeline.new(name)
    p.props.max_threads = max_threads
    return p


def report_json(pipeline):
    return json.loads(pipeline.get_report().to_json())


def factory_entry(report, name):
    matches = [f for f in report['factories'] if f['name'] == name]
    if len(matches) != 1:
        raise AssertionError('report has %d entries named %r: %r'
                             % (len(matches), name, report['factories']))
    return matches[0]


class Recorder:
    """Records a pipeline's signals, and the thread each one arrived on."""

    def __init__(self, pipeline):
        self.events = []
        self.threads = set()
        pipeline.connect('factory-started', self._started)
        pipeline.connect('factory-finished', self._finished)
        pipeline.connect('progress', self._progress)
        pipeline.connect('stage-finished', self._stage_finished)

    def _note(self, *event):
        self.threads.add(threading.get_ident())
        self.events.append(event)

    def _started(self, pipeline, factory, job_group):
        self._note('started', factory.props.name, job_group)

    def _finished(self, pipeline, factory, result):
        self._note('finished', factory.props.name, result.get_status())

    def _progress(self, pipeline, done, total):
        self._note('progress', done, total)

    def _stage_finished(self, pipeline, stage):
        self._note('stage-finished', stage.get_index())

    def of(self, kind):
        return [e[1:] for e in self.events if e[0] == kind]


class TestPythonFactories(unittest.TestCase):

    def build_two_stages(self, text='hello'):
        self.greeting = Greeting(name='greeting', text=text)
        self.length = Length(name='length')
        self.pipeline = new_pipeline('greet')
        first, second = Setl.Stage.new(), Setl.Stage.new()
        first.add_factory(self.greeting)
        second.add_factory(self.length)
        self.pipeline.add_stage(first)
        self.pipeline.add_stage(second)
        return first, second

    def test_run_and_outputs(self):
        self.build_two_stages(text='gobject')
        self.assertTrue(self.pipeline.run(None))

        self.assertEqual(self.greeting.calls, ['read', 'process', 'write', 'get'])
        self.assertEqual(self.greeting.written, ['GOBJECT'])
        # The dispatcher filled Length's slot with Greeting's output.
        self.assertEqual(self.length.seen, 'GOBJECT')
        self.assertEqual(self.pipeline.get_output_by_name('greeting'), 'GOBJECT')
        self.assertEqual(self.pipeline.get_output(Length.__gtype__), len('gobject'))
        self.assertEqual(self.pipeline.get_last_output(), len('gobject'))

    def test_inputs_are_declared(self):
        length = Length(name='length')
        slots = length.get_deliveries()
        self.assertEqual([d.get_name() for d in slots], ['text'])
        self.assertEqual(slots[0].get_payload_type(), GObject.TYPE_STRING)
        self.assertEqual(slots[0].get_producer(), Greeting.__gtype__)
        self.assertEqual(length.props.output_type, GObject.TYPE_INT64)

    def test_missing_input_is_refused(self):
        p = new_pipeline()
        p.add_factory(Length(name='orphan'))
        with self.assertRaises(GLib.Error) as cm:
            p.run(None)
        self.assertTrue(cm.exception.matches(Setl.pipeline_error_quark(),
                                             Setl.PipelineError.MISSING_DELIVERY))
        self.assertIn('orphan', cm.exception.message)
        self.assertIn('text', cm.exception.message)

    def test_external_input(self):
        shout = Shout(name='shout')
        p = new_pipeline()
        p.add_factory(shout)
        p.set_input(Setl.Deliverable.new(GObject.Value(str, 'hi there'),
                                         Setl.External.__gtype__, None))
        self.assertTrue(p.run(None))
        self.assertEqual(p.get_output_by_name('shout'), 'hi there!')

    def test_report_json(self):
        self.build_two_stages(text='abc')
        self.pipeline.run(None)
        report = report_json(self.pipeline)

        self.assertEqual(report['pipeline'], 'greet')
        self.assertIs(report['succeeded'], True)
        self.assertIsInstance(report['duration_us'], int)
        self.assertEqual([f['name'] for f in report['factories']], ['greeting', 'length'])

        g = factory_entry(report, 'greeting')
        self.assertEqual(g['type'], 'PyGreeting')
        self.assertEqual(g['stage'], 0)
        self.assertEqual(g['job_group'], 'greet/stage-0/greeting')
        self.assertEqual(g['status'], 'succeeded')
        self.assertIs(g['wrote'], True)
        self.assertNotIn('error', g)
        for phase in ('read', 'process', 'write', 'get', 'total'):
            self.assertGreaterEqual(g['timings_us'][phase], 0)

        n = factory_entry(report, 'length')
        self.assertEqual(n['stage'], 1)
        self.assertEqual(n['job_group'], 'greet/stage-1/length')

        results = self.pipeline.get_report().get_results()
        self.assertEqual([r.get_status() for r in results],
                         [Setl.FactoryStatus.SUCCEEDED] * 2)

    def test_signals(self):
        self.build_two_stages()
        rec = Recorder(self.pipeline)
        self.assertTrue(self.pipeline.run(None))

        self.assertEqual(rec.of('started'), [('greeting', 'greet/stage-0/greeting'),
                                             ('length', 'greet/stage-1/length')])
        self.assertEqual(rec.of('finished'), [('greeting', Setl.FactoryStatus.SUCCEEDED),
                                              ('length', Setl.FactoryStatus.SUCCEEDED)])
        self.assertEqual(rec.of('progress'), [(1, 2), (2, 2)])
        self.assertEqual(rec.of('stage-finished'), [(0,), (1,)])
        # Each factory starts before it finishes; a stage finishes after its
        # factory and before the next stage's factory starts.
        kinds = [e[0] for e in rec.events]
        self.assertEqual(kinds, ['started', 'finished', 'progress', 'stage-finished',
                                 'started', 'finished', 'progress', 'stage-finished'])


class TestWritable(unittest.TestCase):

    def run_one(self, stage_writable, factory_writable):
        greeting = Greeting(name='g', writable=factory_writable)
        stage = Setl.Stage.new()
        stage.set_writable(stage_writable)
        stage.add_factory(greeting)
        p = new_pipeline()
        p.add_stage(stage)
        self.assertTrue(p.run(None))
        return greeting, factory_entry(report_json(p), 'g'), p

    def test_writable_stage_writes(self):
        greeting, entry, _ = self.run_one(True, True)
        self.assertIn('write', greeting.calls)
        self.assertEqual(greeting.written, ['HELLO'])
        self.assertIs(entry['wrote'], True)

    def test_read_only_stage_skips_write(self):
        greeting, entry, p = self.run_one(False, True)
        self.assertEqual(greeting.calls, ['read', 'process', 'get'])
        self.assertEqual(greeting.written, [])
        self.assertIs(entry['wrote'], False)
        # Not writing does not mean not delivering.
        self.assertEqual(entry['status'], 'succeeded')
        self.assertEqual(p.get_output_by_name('g'), 'HELLO')

    def test_read_only_factory_skips_write(self):
        greeting, entry, _ = self.run_one(True, False)
        self.assertEqual(greeting.calls, ['read', 'process', 'get'])
        self.assertIs(entry['wrote'], False)


class TestFailures(unittest.TestCase):

    def run_failing(self, how, phase='process', **pipeline_props):
        failing = Failing(name='bad', how=how, phase=phase)
        downstream = Length(name='after')
        # `after` depends on a Greeting, not on `bad`, but stands in a later
        # stage: fail-fast must keep it from running.
        greeting = Greeting(name='greeting')
        p = new_pipeline(**pipeline_props)
        first = Setl.Stage.new()
        first.add_factory(greeting)
        first.add_factory(failing)
        p.add_stage(first)
        p.add_factory(downstream)
        rec = Recorder(p)
        with self.assertRaises(GLib.Error) as cm:
            p.run(None)
        return cm.exception, report_json(p), rec, downstream

    def assert_failed_report(self, report, error):
        self.assertIs(report['succeeded'], False)
        bad = factory_entry(report, 'bad')
        self.assertEqual(bad['status'], 'failed')
        self.assertEqual(bad['error']['message'], error.message)
        self.assertEqual(bad['error']['code'], error.code)
        self.assertEqual(bad['error']['domain'], error.domain)
        after = factory_entry(report, 'after')
        self.assertIn(after['status'], ('skipped', 'cancelled'))
        self.assertNotEqual(after['status'], 'succeeded')
        return bad

    def test_gerror_is_kept(self):
        error, report, rec, downstream = self.run_failing('gerror')
        # PyGObject turns the raised GLib.Error into the vfunc's GError.
        self.assertEqual(error.domain, 'py-setl-test-error')
        self.assertEqual(error.code, 42)
        self.assertIn('the disk is on fire', error.message)
        # The pipeline names the factory and the phase.
        self.assertIn('“bad”', error.message)
        self.assertIn('process', error.message)
        self.assert_failed_report(report, error)
        self.assertIsNone(downstream.seen)
        self.assertIn(('bad', Setl.FactoryStatus.FAILED), rec.of('finished'))

    def test_python_exception_fails_the_factory(self):
        stderr = io.StringIO()
        with contextlib.redirect_stderr(stderr):
            error, report, rec, downstream = self.run_failing('exception')
        # The exception cannot cross into C; PyGObject prints it and the
        # vfunc returns FALSE with no GError, which the factory reports.
        self.assertIn('ValueError: boom from Python', stderr.getvalue())
        self.assertTrue(error.matches(Setl.pipeline_error_quark(),
                                      Setl.PipelineError.NO_OUTPUT))
        self.assertIn('“bad”', error.message)
        self.assertIn('without saying why', error.message)
        self.assert_failed_report(report, error)
        self.assertIsNone(downstream.seen)

    def test_returning_false_without_error(self):
        error, report, _, _ = self.run_failing('false')
        self.assertTrue(error.matches(Setl.pipeline_error_quark(),
                                      Setl.PipelineError.NO_OUTPUT))
        self.assertIn('process() without saying why', error.message)
        self.assert_failed_report(report, error)

    def test_failure_in_each_phase(self):
        for phase in ('read', 'process', 'write', 'get'):
            with self.subTest(phase=phase):
                error, report, _, _ = self.run_failing('gerror', phase=phase)
                self.assertEqual(error.code, 42)
                self.assertIn('failed in ' + phase, error.message)
                self.assert_failed_report(report, error)

    def test_exception_on_worker_threads(self):
        # Two threads: the failing vfunc raises on a worker thread, while its
        # stage neighbour runs; the run still fails cleanly.
        stderr = io.StringIO()
        with contextlib.redirect_stderr(stderr):
            error, report, _, _ = self.run_failing('exception', max_threads=2)
        self.assertIn('boom from Python', stderr.getvalue())
        self.assert_failed_report(report, error)

    def test_continue_on_error(self):
        p = new_pipeline(max_threads=2)
        p.props.continue_on_error = True
        p.add_factory(Failing(name='bad'))
        p.add_factory(Greeting(name='greeting'))
        p.add_factory(Length(name='after'))
        with self.assertRaises(GLib.Error):
            p.run(None)
        report = report_json(p)
        self.assertEqual(factory_entry(report, 'bad')['status'], 'failed')
        # Independent of the failed factory: runs anyway.
        self.assertEqual(factory_entry(report, 'greeting')['status'], 'succeeded')
        self.assertEqual(factory_entry(report, 'after')['status'], 'succeeded')
        self.assertEqual(p.get_output_by_name('after'), len('hello'))


class TestAsync(unittest.TestCase):

    def run_async(self, pipeline, cancellable=None, on_started=None):
        loop = GLib.MainLoop()
        outcome = {}

        def done(source, result):
            outcome['thread'] = threading.get_ident()
            try:
                outcome['ok'] = source.run_finish(result)
            except GLib.Error as e:
                outcome['error'] = e
            loop.quit()

        def too_long():
            outcome['timeout'] = True
            loop.quit()
            return GLib.SOURCE_REMOVE

        if on_started is not None:
            pipeline.connect('factory-started', on_started)
        timeout = GLib.timeout_add_seconds(30, too_long)
        pipeline.run_async(cancellable, done)
        loop.run()
        if 'timeout' not in outcome:
            GLib.source_remove(timeout)
        self.assertNotIn('timeout', outcome, 'run_async never completed')
        self.assertEqual(outcome['thread'], MAIN_THREAD)
        return outcome

    def test_async_run_on_main_loop(self):
        greeting = Greeting(name='greeting', text='async')
        length = Length(name='length')
        p = new_pipeline('bg', max_threads=2)
        p.add_factory(greeting)
        p.add_factory(length)
        rec = Recorder(p)

        outcome = self.run_async(p)
        self.assertIs(outcome.get('ok'), True, outcome.get('error'))
        # Signals reach the main thread, in order, although the factories
        # ran elsewhere.
        self.assertEqual(rec.threads, {MAIN_THREAD})
        self.assertNotIn(MAIN_THREAD, length.threads)
        self.assertEqual(rec.of('started'), [('greeting', 'bg/stage-0/greeting'),
                                             ('length', 'bg/stage-1/length')])
        self.assertEqual(rec.of('progress'), [(1, 2), (2, 2)])
        self.assertEqual(rec.of('stage-finished'), [(0,), (1,)])
        self.assertEqual(p.get_output_by_name('length'), len('async'))
        self.assertIs(report_json(p)['succeeded'], True)

    def test_async_failure(self):
        p = new_pipeline('bg')
        p.add_factory(Failing(name='bad'))
        rec = Recorder(p)
        outcome = self.run_async(p)
        self.assertNotIn('ok', outcome)
        self.assertEqual(outcome['error'].code, 42)
        self.assertIn('“bad”', outcome['error'].message)
        self.assertEqual(rec.of('finished'), [('bad', Setl.FactoryStatus.FAILED)])
        self.assertEqual(rec.threads, {MAIN_THREAD})

    def test_async_cancel(self):
        p = new_pipeline('bg')
        p.add_factory(Waiter(name='wait'))
        cancellable = Gio.Cancellable()

        def cancel_when_started(pipeline, factory, job_group):
            # On the main thread, while the factory blocks on its worker.
            self.assertEqual(threading.get_ident(), MAIN_THREAD)
            cancellable.cancel()

        outcome = self.run_async(p, cancellable, cancel_when_started)
        self.assertNotIn('ok', outcome)
        self.assertTrue(outcome['error'].matches(Gio.io_error_quark(),
                                                 Gio.IOErrorEnum.CANCELLED),
                        outcome['error'].message)
        self.assertEqual(factory_entry(report_json(p), 'wait')['status'], 'cancelled')


if __name__ == '__main__':
    unittest.main(verbosity=2)
