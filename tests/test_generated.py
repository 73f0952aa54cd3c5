"""The generated Bot surface matches the Bot API spec (10.3) and the 10.4/10.5 supplement,
method by method, parameter by parameter."""
from __future__ import annotations

import copy
import hashlib
import inspect
import json
import os
import subprocess
import sys

import pytest

from telepot_ng import Bot
from telepot_ng._codegen.__main__ import (OUT_DIR, SNAPSHOT, SUPPLEMENT, apply_supplement,
                                          build_spec, load_spec, render_all, snake)
from telepot_ng._compat import RELAXED_REQUIRED, legacy_positional_count
from telepot_ng._generated import spec as gen_spec

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# the project's shared/ folder lies beside the checkout (CI's clone, the main work tree) or,
# for a git worktree under a folder of worktrees, one level further up
SHARED = next((p for p in (os.path.join(ROOT, '..', 'shared', 'botapi'),
                           os.path.join(ROOT, '..', '..', 'shared', 'botapi'))
               if os.path.isdir(p)), os.path.join(ROOT, '..', 'shared', 'botapi'))
SHARED_SPEC = os.path.join(SHARED, 'api-10.3.json')
SHARED_10_1 = os.path.join(SHARED, 'api.json')          # the spec telepot_ng started from

# method, type and update-kind counts Telegram's 10.3 spec has
COUNTS_10_3 = (185, 400, 27)


def _specs():
    specs = [('snapshot', load_spec(SNAPSHOT))]
    if os.path.exists(SHARED_SPEC):
        specs.append(('shared-10.3', load_spec(SHARED_SPEC)))
    specs.append(('with-supplement', build_spec()))
    return specs


def test_generated_modules_match_the_snapshot_and_supplement():
    rendered = render_all(build_spec())
    for name, text in rendered.items():
        with open(os.path.join(OUT_DIR, name), encoding='utf-8') as f:
            assert f.read() == text, '%s is stale: run python -m telepot_ng._codegen' % name


def test_check_mode_is_rerunnable_and_reports_no_change():
    out = subprocess.run([sys.executable, '-m', 'telepot_ng._codegen', '--check'], cwd=ROOT,
                         capture_output=True, text=True, timeout=60,
                         env=dict(os.environ, PYTHONPATH=ROOT))
    assert out.returncode == 0, out.stdout + out.stderr
    assert 'match botapi.json and botapi-supplement.json' in out.stdout


def test_generated_modules_say_they_are_generated():
    for name in ('methods.py', 'aio_methods.py', 'types.py', 'spec.py'):
        with open(os.path.join(OUT_DIR, name), encoding='utf-8') as f:
            head = f.read(400)
        assert 'GENERATED FILE' in head and 'python -m telepot_ng._codegen' in head
        assert 'Bot API 10.3' in head and 'botapi-supplement.json' in head


@pytest.mark.skipif(not os.path.exists(SHARED_SPEC), reason='project shared/ folder not present')
def test_snapshot_is_the_shared_10_3_spec():
    def digest(p):
        with open(p, 'rb') as f:
            return hashlib.sha256(f.read()).hexdigest()
    assert digest(SNAPSHOT) == digest(SHARED_SPEC)


def test_snapshot_counts_are_bot_api_10_3():
    spec = load_spec(SNAPSHOT)
    kinds = [f for f in spec['types']['Update']['fields'] if f['name'] != 'update_id']
    assert (len(spec['methods']), len(spec['types']), len(kinds)) == COUNTS_10_3
    assert spec['version'] == 'Bot API 10.3' and gen_spec.API_VERSION == '10.3'


@pytest.mark.parametrize('label,spec', _specs(), ids=lambda x: x if isinstance(x, str) else '')
def test_every_method_and_parameter_exists_on_bot(label, spec):
    n_supp = len(gen_spec.SUPPLEMENT['methods'])
    assert len(spec['methods']) == COUNTS_10_3[0] + (n_supp if 'supplement' in spec else 0)
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


@pytest.mark.skipif(not os.path.exists(SHARED_10_1), reason='project shared/ folder not present')
def test_nothing_of_bot_api_10_1_went_missing():
    """api.json (10.1) is the spec telepot_ng was first generated from; code written then
    must still find every method and parameter it used (Telegram removed none by 10.3)."""
    old = load_spec(SHARED_10_1)
    for name, m in old['methods'].items():
        params = inspect.signature(getattr(Bot, name)).parameters
        for f in m.get('fields', []):
            assert f['name'] in params, (name, f['name'])


def test_the_supplement_is_applied():
    spec = build_spec()
    supp = load_spec(SUPPLEMENT)
    assert set(gen_spec.SUPPLEMENT_VERSIONS) == {'10.4', '10.5'}
    for name, m in supp['methods'].items():
        assert gen_spec.METHODS[name] == (tuple(m['returns']), tuple(
            (f['name'], f['required'], tuple(f['types'])) for f in m['fields']))
        assert 'from the supplement' in ' '.join(getattr(Bot, name).__doc__.split())
        assert gen_spec.SUPPLEMENT['methods'][name] == m['since']
    assert set(gen_spec.SUPPLEMENT['methods']) == {
        'sendWidget', 'sendSharedWidget', 'answerWidgetQuery', 'editMessageWidgetData',
        'editSharedWidgetData', 'getChatShareThemeBackdrops', 'setMySettings'}
    assert gen_spec.UPDATE_TYPES[-2:] == ('widget_query', 'shared_widget_query')
    assert len(gen_spec.UPDATE_TYPES) == COUNTS_10_3[2] + 2
    assert 'widget' in gen_spec.MESSAGE_CONTENT_TYPES
    # 10.5: getMe returns BotFullInfo; the ten bot-only fields left User for it
    assert gen_spec.METHODS['getMe'][0] == ('BotFullInfo',)
    user = {f for f, _, _ in gen_spec.TYPES['User']}
    full = {f for f, _, _ in gen_spec.TYPES['BotFullInfo']}
    moved = {f['name'] for f in load_spec(SNAPSHOT)['types']['User']['fields']} - user
    assert len(moved) == 10 and 'can_join_groups' in moved and moved <= full
    assert [f for f, _, _ in gen_spec.TYPES['RichBlockExpandableBlockQuotation']] == \
        ['type', 'blocks', 'credit']
    params = {p for p, _, _ in gen_spec.METHODS['verifyUser'][1]}
    assert {'custom_description_parse_mode', 'custom_description_entities'} <= params
    assert any('not identified' in m for m in gen_spec.SUPPLEMENT_MISSING)
    assert spec['supplement']['missing'] == list(gen_spec.SUPPLEMENT_MISSING)


def test_a_supplement_item_the_spec_already_has_is_refused():
    """When a newer spec file arrives, the supplement's overlap is reported, not silently
    applied twice."""
    spec = load_spec(SNAPSHOT)
    supp = load_spec(SUPPLEMENT)
    bad = copy.deepcopy(supp)
    bad['methods']['sendMessage'] = dict(supp['methods']['sendWidget'], name='sendMessage')
    with pytest.raises(ValueError, match='sendMessage'):
        apply_supplement(spec, bad)
    bad = copy.deepcopy(supp)
    bad['add_fields']['Message'].append(dict(bad['add_fields']['Message'][0], name='text'))
    with pytest.raises(ValueError, match='Message.text'):
        apply_supplement(spec, bad)
    bad = copy.deepcopy(supp)
    bad['move_fields'][0]['marker'] = 'no field says this'
    with pytest.raises(ValueError, match='nothing moves'):
        apply_supplement(spec, bad)
    assert apply_supplement(spec, supp) == build_spec()      # and the input is not mutated
    assert spec == load_spec(SNAPSHOT)


def test_the_generator_refuses_a_supplement_the_spec_overlaps(tmp_path, monkeypatch, capsys):
    from telepot_ng._codegen import __main__ as codegen
    supp = load_spec(SUPPLEMENT)
    supp['methods']['getMe'] = dict(supp['methods']['setMySettings'], name='getMe')
    bad = tmp_path / 'supplement.json'
    bad.write_text(json.dumps(supp), encoding='utf-8')
    monkeypatch.setattr(codegen, 'SUPPLEMENT', str(bad))
    monkeypatch.setattr(codegen.build_spec, '__defaults__', (SNAPSHOT, str(bad)))
    assert codegen.main(['--check']) == 2
    assert 'the spec already has these supplement items: getMe' in capsys.readouterr().out


def test_required_parameters_come_first_in_spec_order():
    spec = load_spec()
    sig = inspect.signature(Bot.sendMessage)
    names = list(sig.parameters)[1:]
    assert names[:2] == ['chat_id', 'text']
    optional = [f['name'] for f in spec['methods']['sendMessage']['fields'] if not f['required']]
    kwonly = [n for n, p in sig.parameters.items() if p.kind is p.KEYWORD_ONLY]
    assert kwonly == optional


def test_every_method_sends_exactly_its_parameters(rbot, recorder):
    """Call every method (10.3 and supplement) with every parameter given by keyword: each
    reaches the transport under its Bot API name with exactly those parameters."""
    spec = build_spec()
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


def test_unknown_methods_go_through_call(rbot, recorder):
    rbot.call('sendFutureThing', chat_id=1, thing={'a': 1}, skipped=None)
    assert recorder.last == ('sendFutureThing', {'chat_id': 1, 'thing': {'a': 1}})


def test_docstrings_link_to_the_api():
    assert 'https://core.telegram.org/bots/api#sendmessage' in Bot.sendMessage.__doc__
    assert Bot.send_message.__doc__ == Bot.sendMessage.__doc__
    assert 'from the supplement' not in Bot.sendMessage.__doc__
