"""The generated Bot surface matches the Bot API snapshot, method by method, parameter by parameter."""
from __future__ import annotations

import hashlib
import inspect
import json
import os

import pytest

from telepot_ng import Bot
from telepot_ng._codegen.__main__ import OUT_DIR, SNAPSHOT, load_spec, render_all, snake
from telepot_ng._compat import RELAXED_REQUIRED, legacy_positional_count

SHARED_SPEC = os.path.join(os.path.dirname(__file__), '..', '..', 'shared', 'botapi', 'api.json')


def _specs():
    specs = [('snapshot', load_spec(SNAPSHOT))]
    if os.path.exists(SHARED_SPEC):
        specs.append(('shared', load_spec(SHARED_SPEC)))
    return specs


def test_generated_modules_match_the_snapshot():
    rendered = render_all(load_spec())
    for name, text in rendered.items():
        with open(os.path.join(OUT_DIR, name), encoding='utf-8') as f:
            assert f.read() == text, '%s is stale: run python -m telepot_ng._codegen' % name


def test_generated_modules_say_they_are_generated():
    for name in ('methods.py', 'types.py', 'spec.py'):
        with open(os.path.join(OUT_DIR, name), encoding='utf-8') as f:
            head = f.read(300)
        assert 'GENERATED FILE' in head and 'python -m telepot_ng._codegen' in head


@pytest.mark.skipif(not os.path.exists(SHARED_SPEC), reason='project shared/ folder not present')
def test_snapshot_is_the_shared_spec():
    def digest(p):
        with open(p, 'rb') as f:
            return hashlib.sha256(f.read()).hexdigest()
    assert digest(SNAPSHOT) == digest(SHARED_SPEC)


@pytest.mark.parametrize('label,spec', _specs(), ids=lambda x: x if isinstance(x, str) else '')
def test_every_method_and_parameter_exists_on_bot(label, spec):
    assert len(spec['methods']) == 180
    for name, m in spec['methods'].items():
        fn = getattr(Bot, name, None)
        assert fn is not None, 'Bot lacks %s' % name
        assert getattr(Bot, snake(name)) is fn, 'snake_case alias of %s' % name
        sig = inspect.signature(fn)
        relaxed = RELAXED_REQUIRED.get(name, {})
        for f in m.get('fields', []):
            p = sig.parameters.get(f['name'])
            assert p is not None, '%s lacks parameter %s' % (name, f['name'])
            if f['required'] and f['name'] not in relaxed:
                assert p.kind is p.POSITIONAL_OR_KEYWORD and p.default is p.empty, (name, f['name'])
            else:
                assert p.default is None, (name, f['name'])
        assert any(p.kind is p.VAR_KEYWORD for p in sig.parameters.values()), name
        has_var_pos = any(p.kind is p.VAR_POSITIONAL for p in sig.parameters.values())
        assert has_var_pos == (legacy_positional_count(name) > 0), name


def test_required_parameters_come_first_in_spec_order():
    spec = load_spec()
    sig = inspect.signature(Bot.sendMessage)
    names = list(sig.parameters)[1:]
    assert names[:2] == ['chat_id', 'text']
    optional = [f['name'] for f in spec['methods']['sendMessage']['fields'] if not f['required']]
    kwonly = [n for n, p in sig.parameters.items() if p.kind is p.KEYWORD_ONLY]
    assert kwonly == optional


def test_every_method_sends_exactly_its_parameters(rbot, recorder):
    """Call all 180 methods with every parameter given by keyword: each reaches the transport
    under its Bot API name with exactly those parameters (values untouched)."""
    spec = load_spec()
    for name, m in spec['methods'].items():
        params = {}
        for i, f in enumerate(m.get('fields', [])):
            params[f['name']] = 'file-id-%d' % i if 'InputFile' in f['types'] else i + 1
        params.pop('reply_markup', None)      # compat fix-ups look inside markups; tested elsewhere
        getattr(rbot, name)(**params)
        assert recorder.last == (name, params), name


def test_none_is_left_out_and_kwargs_pass_through(rbot, recorder):
    rbot.sendMessage(1, 'hi', parse_mode=None, some_future_param='x')
    assert recorder.last == ('sendMessage', {'chat_id': 1, 'text': 'hi', 'some_future_param': 'x'})


def test_docstrings_link_to_the_api():
    assert 'https://core.telegram.org/bots/api#sendmessage' in Bot.sendMessage.__doc__
    assert Bot.send_message.__doc__ == Bot.sendMessage.__doc__
