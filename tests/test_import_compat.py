"""Programs written for telepot run with only the import renamed: submodules are reachable as
attributes of the package, as they were in telepot, without importing them first."""
from __future__ import annotations

import subprocess
import sys
import textwrap

PROGRAM_63 = '''
import telepot_ng as telepot
from telepot_ng.delegate import per_chat_id, create_open

class MessageCounter(telepot.helper.ChatHandler):
    def __init__(self, seed_tuple, timeout):
        super(MessageCounter, self).__init__(seed_tuple, timeout)
        self._count = 0

    def on_message(self, msg):
        self._count += 1
        self.sender.sendMessage(self._count)

bot = telepot.DelegatorBot('123:ABC', [
    (per_chat_id(), create_open(MessageCounter, timeout=10)),
])
import telepot_ng.api, telepot_ng.namedtuple, telepot_ng.loop
print(telepot.helper.ChatHandler.__name__, telepot.api.Transport.__name__,
      telepot.namedtuple.Message.__name__, telepot.loop.MessageLoop.__name__)
'''


def test_a_63_program_needs_only_the_import_renamed():
    out = subprocess.run([sys.executable, '-c', textwrap.dedent(PROGRAM_63)],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ['ChatHandler', 'Transport', 'Message', 'MessageLoop']


def test_unknown_attribute_is_an_attribute_error():
    import telepot_ng
    try:
        telepot_ng.no_such_module
    except AttributeError as e:
        assert 'no_such_module' in str(e)
    else:
        raise AssertionError('expected AttributeError')
