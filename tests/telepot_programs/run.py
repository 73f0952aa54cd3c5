"""Run a program written for telepot against telepot_ng, changing nothing but the import.

    python tests/telepot_programs/run.py PROGRAM.py ARGS...

``telepot`` and ``telepot.<module>`` are telepot_ng's modules (what renaming the import does);
the program then runs as ``__main__`` with ``sys.argv = [PROGRAM.py, ARGS...]``.  The Bot API
server is whatever ``TELEPOT_NG_API_URL`` names (the tests point it at a FakeTelegram).
"""
import importlib
import runpy
import sys

# telepot's modules, all of which telepot_ng has under the same names
_MODULES = ('api', 'delegate', 'exception', 'helper', 'loop', 'namedtuple', 'routing', 'text',
            'aio', 'aio.api', 'aio.delegate', 'aio.helper', 'aio.loop', 'aio.routing')


def alias_telepot() -> None:
    """Make ``import telepot`` / ``from telepot.x import y`` give telepot_ng's modules."""
    pkg = importlib.import_module('telepot_ng')
    sys.modules['telepot'] = pkg
    for name in _MODULES:
        sys.modules['telepot.' + name] = importlib.import_module('telepot_ng.' + name)


if __name__ == '__main__':
    alias_telepot()
    program = sys.argv[1]
    sys.argv = sys.argv[1:]
    sys.stdout.reconfigure(line_buffering=True)
    runpy.run_path(program, run_name='__main__')
