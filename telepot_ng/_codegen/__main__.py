"""Generate telepot_ng/_generated/* from the Bot API snapshot in this folder.

Usage (from a source checkout)::

    python -m telepot_ng._codegen            # rewrite the generated modules
    python -m telepot_ng._codegen --check    # exit 1 if they differ from the snapshot

Two inputs, merged by :func:`build_spec` before anything is rendered:

* ``botapi.json`` -- the Bot API spec (today Bot API 10.3, a byte copy of
  shared/botapi/api-10.3.json; format: https://github.com/PaulSonOfLars/telegram-bot-api-spec).
* ``botapi-supplement.json`` -- what is known of later versions (10.4, 10.5) without a spec
  file: new methods and types in the same format, fields and parameters to add, fields to
  replace or move, changed results, each with its sources, and the list of what is missing.
  Every item carries ``since``; the generated tables say which names come from it.

shared/botapi/api.json (Bot API 10.1, the spec telepot_ng was first generated from) is no
input any more; tests/test_generated.py keeps it as a check that nothing a 10.1-era program
calls has gone from Bot.

To move to a new Bot API version, replace ``botapi.json`` with the new spec, drop from the
supplement what the spec now covers (the generator refuses to run, naming them, while the
supplement repeats items the spec has) and rerun.  The tests (tests/test_generated.py) fail while the checked-in modules and
the inputs disagree.
"""
from __future__ import annotations

import copy
import json
import keyword
import os
import re
import sys
import textwrap
from typing import Dict, List, Optional, Sequence, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
SNAPSHOT = os.path.join(HERE, 'botapi.json')
SUPPLEMENT = os.path.join(HERE, 'botapi-supplement.json')
OUT_DIR = os.path.join(os.path.dirname(HERE), '_generated')

HEADER = '''\
# GENERATED FILE -- DO NOT EDIT.
# Source: telepot_ng/_codegen/botapi.json ({version}, {date})
# and botapi-supplement.json ({supplement}).
# Regenerate with: python -m telepot_ng._codegen
'''


def header(spec: dict) -> str:
    supp = spec.get('supplement', {}).get('versions', {})
    return HEADER.format(version=spec['version'], date=spec['release_date'],
                         supplement=', '.join('Bot API %s of %s' % kv for kv in supp.items())
                         or 'empty')

# Message fields that describe a message rather than being its content.  Fields listed
# here, and every field before 'text' in spec order, are never a glance() content_type.
MESSAGE_META_FIELDS = frozenset([
    'entities', 'link_preview_options', 'suggested_post_info', 'effect_id',
    'caption', 'caption_entities', 'show_caption_above_media', 'has_media_spoiler',
    'reply_markup',
])


# Required fields typed "True" in the Bot API (the snapshot types them Boolean).
TRUE_FIELDS = frozenset({('ForceReply', 'force_reply'), ('ReplyKeyboardRemove', 'remove_keyboard')})


def derive_constants(types_json: dict) -> Dict[str, Dict[str, object]]:
    """Fields whose value the API fixes, read from the spec's descriptions
    ("Type of the result, must be *article*", "The member's status in the chat, always
    “kicked”", "Always 0.", and the True-typed fields)."""
    string_const = re.compile(r'(?:, always|, must be) [“"]?([a-z][a-z0-9_]*)[”"]?\.?$')
    int_const = re.compile(r'^Always (-?\d+)\.')
    out: Dict[str, Dict[str, object]] = {}
    for tname, t in types_json.items():
        for f in t.get('fields', ()):
            if not f.get('required'):
                continue
            desc = f.get('description', '')
            types = f.get('types', ())
            value: object = None
            if types == ['String']:
                m = string_const.search(desc)
                if m:
                    value = m.group(1)
            elif types == ['Integer']:
                m = int_const.search(desc)
                if m:
                    value = int(m.group(1))
            elif types in (['True'], ['Boolean']) and (tname, f['name']) in TRUE_FIELDS:
                value = True
            if value is not None:
                out.setdefault(tname, {})[f['name']] = value
    return out


def load_spec(path: str = SNAPSHOT) -> dict:
    with open(path, encoding='utf-8') as f:
        return json.load(f)


def build_spec(path: str = SNAPSHOT, supplement: str = SUPPLEMENT) -> dict:
    """The snapshot with the supplement applied: what every render_* function takes."""
    spec = load_spec(path)
    if supplement and os.path.exists(supplement):
        spec = apply_supplement(spec, load_spec(supplement))
    return spec


def _marked(item: dict, since: str) -> dict:
    out = {k: v for k, v in item.items() if k not in ('sources', 'note')}
    out['since'] = since
    return out


def apply_supplement(spec: dict, supp: dict) -> dict:
    """A copy of ``spec`` with the supplement's facts applied (see the module docstring).
    Items the spec already has are an error: the supplement only adds to an older spec."""
    spec = copy.deepcopy(spec)
    clash = [n for n in supp.get('methods', {}) if n in spec['methods']] + \
        [n for n in supp.get('types', {}) if n in spec['types']]
    for section, table in (('add_fields', spec['types']), ('add_params', spec['methods'])):
        for owner, fields in supp.get(section, {}).items():
            have = {f['name'] for f in table[owner].get('fields', ())}
            clash += ['%s.%s' % (owner, f['name']) for f in fields if f['name'] in have]
    if clash:
        raise ValueError('the spec already has these supplement items: %s' % ', '.join(clash))
    for name, m in supp.get('methods', {}).items():
        spec['methods'][name] = _marked(m, m['since'])
    for name, t in supp.get('types', {}).items():
        spec['types'][name] = _marked(t, t['since'])
    for section, table in (('add_fields', spec['types']), ('add_params', spec['methods'])):
        for owner, fields in supp.get(section, {}).items():
            table[owner].setdefault('fields', []).extend(_marked(f, f['since']) for f in fields)
    for owner, changes in supp.get('replace_fields', {}).items():
        fields = spec['types'][owner]['fields']
        for old, new in changes.items():
            i = [f['name'] for f in fields].index(old)
            fields[i] = _marked(new, new['since'])
    moves: List[Tuple[str, str, List[str], str]] = []
    for move in supp.get('move_fields', ()):
        src = spec['types'][move['from']]
        keep = [f for f in src['fields'] if move['marker'] not in f.get('description', '')]
        moved = {f['name'] for f in src['fields']} - {f['name'] for f in keep}
        have = {f['name'] for f in spec['types'][move['to']].get('fields', ())}
        if not moved or not moved <= have:
            raise ValueError('move_fields %s -> %s: %s' % (
                move['from'], move['to'], 'nothing moves' if not moved
                else 'target lacks %s' % ', '.join(sorted(moved - have))))
        src['fields'] = keep
        moves.append((move['from'], move['to'], sorted(moved), move['since']))
    for method, change in supp.get('returns', {}).items():
        m = spec['methods'][method]
        m['returns'] = list(change['returns'])
        if change.get('description'):
            m['description'] = [change['description']]
        m['returns_since'] = change['since']
    for name, t in supp.get('types', {}).items():
        for parent in t.get('subtype_of', ()):
            if name not in spec['types'][parent].get('subtypes', ()):
                raise ValueError('%s names %s as its union, which lacks it' % (name, parent))
    spec['supplement'] = {'versions': dict(supp.get('versions', {})),
                          'missing': list(supp.get('missing', ())), 'moved': moves}
    return spec


def supplement_items(spec: dict) -> Dict[str, Dict[str, str]]:
    """What the merged ``spec`` took from the supplement, by Bot API version:
    ``{'methods': {name: since}, 'types': ..., 'update_types': ..., 'fields': {'Type.field': since},
    'params': {'method.param': since}, 'returns': {method: since}}``."""
    out: Dict[str, Dict[str, str]] = {k: {} for k in (
        'methods', 'types', 'update_types', 'fields', 'params', 'returns')}
    for name, m in spec['methods'].items():
        if 'since' in m:
            out['methods'][name] = m['since']
        else:
            for f in m.get('fields', ()):
                if 'since' in f:
                    out['params']['%s.%s' % (name, f['name'])] = f['since']
        if 'returns_since' in m:
            out['returns'][name] = m['returns_since']
    for name, t in spec['types'].items():
        if 'since' in t:
            out['types'][name] = t['since']
            continue
        for f in t.get('fields', ()):
            if 'since' in f:
                out['fields']['%s.%s' % (name, f['name'])] = f['since']
                if name == 'Update':
                    out['update_types'][f['name']] = f['since']
    return out


def snake(name: str) -> str:
    return _compat().snake(name)


def _compat():
    sys.path.insert(0, os.path.dirname(os.path.dirname(HERE)))
    from telepot_ng import _compat as compat   # the legacy table shapes the signatures
    return compat


def py_field(name: str) -> str:
    return name + '_' if keyword.iskeyword(name) else name


# ---------------------------------------------------------------------------------- hints

def _hint_one(t: str) -> str:
    if t.startswith('Array of '):
        return 'List[%s]' % _hint_one(t[len('Array of '):])
    return {
        'Integer': 'int', 'String': 'str', 'Boolean': 'bool', 'Float': 'float',
        'InputFile': 'InputFileLike',
    }.get(t, 'JSONObject')


def param_hint(types: Sequence[str]) -> str:
    hints: List[str] = []
    for t in types:
        h = _hint_one(t)
        if h not in hints:
            hints.append(h)
    if 'InputFileLike' in hints and 'str' in hints:
        hints.remove('str')           # InputFileLike already admits a file_id / URL string
    if len(hints) == 1:
        return hints[0]
    return 'Union[%s]' % ', '.join(hints)


def return_hint(returns: Sequence[str]) -> str:
    hints: List[str] = []
    for t in returns:
        if t.startswith('Array of '):
            inner = t[len('Array of '):]
            h = 'List[%s]' % ({'Integer': 'int', 'String': 'str'}.get(inner, 'Dict[str, Any]'))
        else:
            h = {'Integer': 'int', 'String': 'str', 'Boolean': 'bool', 'Float': 'float',
                 'True': 'bool'}.get(t, 'Dict[str, Any]')
        if h not in hints:
            hints.append(h)
    return hints[0] if len(hints) == 1 else 'Union[%s]' % ', '.join(hints)


# --------------------------------------------------------------------------------- spec.py

def _content_types(spec: dict) -> List[str]:
    names = [f['name'] for f in spec['types']['Message']['fields']]
    start = names.index('text')
    return [n for n in names[start:] if n not in MESSAGE_META_FIELDS]


def render_spec(spec: dict) -> str:
    out = [header(spec)]
    out.append('"""Compact tables of the Bot API snapshot: methods, types, update kinds."""\n')
    out.append('API_VERSION = %r' % spec['version'].replace('Bot API ', ''))
    out.append('API_RELEASE_DATE = %r\n' % spec['release_date'])
    supp = spec.get('supplement', {})
    out.append('# later Bot API versions applied from botapi-supplement.json: version -> release date')
    out.append('SUPPLEMENT_VERSIONS = %r\n' % (supp.get('versions', {}),))
    items = supplement_items(spec)
    out.append('# what the supplement added, by kind: name -> the Bot API version it came with')
    out.append('SUPPLEMENT = {')
    for kind, names in items.items():
        out.append('    %r: {' % kind)
        out.extend('        %r: %r,' % kv for kv in names.items())
        out.append('    },')
    out.append('}\n')
    out.append('# what is known of those versions but missing from these tables')
    out.append('SUPPLEMENT_MISSING = (')
    out.extend('    %r,' % m for m in supp.get('missing', ()))
    out.append(')\n')
    out.append('# method -> (return types, ((parameter, required, types), ...)) in spec order')
    out.append('METHODS = {')
    for name, m in spec['methods'].items():
        params = tuple((f['name'], f['required'], tuple(f['types'])) for f in m.get('fields', []))
        out.append('    %r: (%r, %r),' % (name, tuple(m['returns']), params))
    out.append('}\n')
    out.append('# type -> ((field, required, types), ...) in spec order; abstract types are in SUBTYPES')
    out.append('TYPES = {')
    for name, t in spec['types'].items():
        if 'subtypes' in t:
            continue
        fields = tuple((f['name'], f['required'], tuple(f['types'])) for f in t.get('fields', []))
        out.append('    %r: %r,' % (name, fields))
    out.append('}\n')
    out.append('# abstract type -> its concrete types')
    out.append('SUBTYPES = {')
    for name, t in spec['types'].items():
        if 'subtypes' in t:
            out.append('    %r: %r,' % (name, tuple(t['subtypes'])))
    out.append('}\n')
    updates = [f['name'] for f in spec['types']['Update']['fields'] if f['name'] != 'update_id']
    out.append('# the optional fields of Update, in spec order (exactly one is present per update)')
    out.append('UPDATE_TYPES = %s\n' % _tuple_lines(updates))
    out.append('# Message fields that glance() reports as content_type, in priority order')
    out.append('MESSAGE_CONTENT_TYPES = %s\n' % _tuple_lines(_content_types(spec)))
    out.append('# type -> ((field, fixed value), ...): discriminators and True-only fields')
    out.append('CONSTANTS = {')
    for name, fields in derive_constants(spec['types']).items():
        out.append('    %r: %r,' % (name, tuple(fields.items())))
    out.append('}\n')
    chat_types = re.findall(r'"(\w+)"', spec['types']['Chat']['fields'][1]['description'])
    out.append('CHAT_TYPES = %r\n' % (tuple(chat_types),))
    entity = next(f for f in spec['types']['MessageEntity']['fields'] if f['name'] == 'type')
    out.append('# MessageEntity types the spec lists (telepot_ng.text renders each)')
    entity_types = re.findall(r'"(\w+)"', entity['description'])
    out.append('ENTITY_TYPES = %s\n' % _tuple_lines(entity_types))
    return '\n'.join(out)


def _tuple_lines(items: Sequence[str]) -> str:
    body = textwrap.fill(', '.join(repr(i) for i in items) + ',', width=90,
                         initial_indent='    ', subsequent_indent='    ')
    return '(\n%s\n)' % body


# ------------------------------------------------------------------------------ methods.py

def _doc(text_lines: Sequence[str], href: str, indent: str, since: Optional[str] = None) -> str:
    first = ' '.join(text_lines[:1]).strip().replace('\\', '\\\\').replace('"""', "'''")
    if since:
        first += ' (Bot API %s, from the supplement: no spec file covers it yet.)' % since
    wrapped = textwrap.fill(first, width=92 - len(indent))
    body = textwrap.indent(wrapped, indent)
    return '%s"""%s\n\n%sSee: %s\n%s"""' % (indent, body.lstrip(), indent, href, indent)


def method_aliases(spec: dict) -> List[Tuple[str, str]]:
    """(alias, method) for the Bot classes: every method's snake_case name, then the names
    Telegram has since changed (and their snake_case)."""
    compat = _compat()
    aliases = [(snake(name), name) for name in spec['methods']]
    for old, new in compat.METHOD_ALIASES.items():
        aliases.append((old, new))
        aliases.append((snake(old), new))
    return aliases


def _alias_lines(spec: dict) -> List[str]:
    out = ['    # snake_case names, and names Telegram has since changed']
    out.extend('    %s = %s' % pair for pair in method_aliases(spec))
    out.append('')
    return out


def render_methods(spec: dict) -> str:
    compat = _compat()

    out = [header(spec)]
    out.append('"""Every Bot API method as a Python method (mixed into telepot_ng.Bot)."""')
    out.append('from typing import Any, Dict, List, Optional, Union\n')
    out.append('from .._typing import InputFileLike, JSONObject\n\n')
    out.append('class BotMethods:')
    versions = '/'.join(spec.get('supplement', {}).get('versions', {}))
    out.append('    """Bot API %s methods%s.  Each returns the ``result`` of'
               % (spec['version'].replace('Bot API ', ''),
                  ' and the %s methods of the supplement' % versions if versions else ''))
    out.append("    Telegram's answer as plain dicts/lists/scalars; parameters are documented at")
    out.append('    core.telegram.org/bots/api."""\n')
    out.append('    __slots__ = ()\n')
    out.append('    def _api(self, method: str, args: tuple, params: Dict[str, Any],')
    out.append('             kwargs: Dict[str, Any]) -> Any:  # pragma: no cover - provided by Bot')
    out.append('        raise NotImplementedError\n')
    for name, m in spec['methods'].items():
        fields = m.get('fields', [])
        relaxed = compat.RELAXED_REQUIRED.get(name, {})
        legacy = compat.legacy_positional_count(name) > 0
        sig = ['self']
        required = [f for f in fields if f['required'] and f['name'] not in relaxed]
        optional = [f for f in fields if not (f['required'] and f['name'] not in relaxed)]
        for f in required:
            sig.append('%s: %s' % (f['name'], param_hint(f['types'])))
        # relaxed required parameters stay positional, with a default
        for f in fields:
            if f['name'] in relaxed:
                sig.append('%s: Optional[%s] = None' % (f['name'], param_hint(f['types'])))
        if legacy:
            sig.append('*args: Any')
        elif optional:
            sig.append('*')
        for f in optional:
            if f['name'] in relaxed:
                continue
            sig.append('%s: Optional[%s] = None' % (f['name'], param_hint(f['types'])))
        sig.append('**kwargs: Any')
        pos_names = [f['name'] for f in required] + [f['name'] for f in fields if f['name'] in relaxed]
        names = pos_names + [f['name'] for f in optional if f['name'] not in relaxed]
        head = '    def %s(%s) -> %s:' % (name, ', '.join(sig), return_hint(m['returns']))
        if len(head) <= 100:
            out.append(head)
        else:
            out.append('    def %s(' % name)
            out.extend('            %s,' % s for s in sig)
            out.append('    ) -> %s:' % return_hint(m['returns']))
        out.append(_doc(m.get('description', []), m['href'], '        ', m.get('since')))
        params = '{%s}' % ', '.join('%r: %s' % (n, n) for n in names)
        call = "return self._api(%r, %s, %s, kwargs)" % (name, 'args' if legacy else '()', params)
        out.extend(_wrap_call(call, '        '))
        out.append('')
    out.extend(_alias_lines(spec))
    return '\n'.join(out)


def _wrap_call(call: str, indent: str) -> List[str]:
    if len(indent) + len(call) <= 100:
        return [indent + call]
    head, rest = call.split('{', 1)
    items = rest.rsplit('}', 1)
    inner, tail = items[0], items[1]
    lines = [indent + head + '{']
    body = textwrap.fill(inner, width=96 - len(indent), initial_indent=indent + '    ',
                         subsequent_indent=indent + '    ', break_long_words=False,
                         break_on_hyphens=False)
    lines.extend(body.split('\n'))
    lines.append(indent + '}' + tail)
    return lines


# -------------------------------------------------------------------------- aio_methods.py

def render_aio_methods(spec: dict) -> str:
    """telepot_ng.aio's Bot methods: each method of methods.py made a coroutine method
    (same signature and docstring, ``await bot.sendMessage(...)``), with the same aliases.
    One line a method: the signatures, the parameter handling and the call live once, in
    methods.py."""
    out = [header(spec)]
    out.append('"""Every Bot API method as a coroutine method (mixed into telepot_ng.aio.Bot)."""')
    out.append('from .._awaitable import awaitable, realias\n')
    out.append('from .methods import BotMethods as _Sync\n\n')
    out.append('class AsyncBotMethods(_Sync):')
    out.append('    """Bot API %s methods, awaited: ``await bot.sendMessage(chat_id, text)``.  The'
               % spec['version'].replace('Bot API ', ''))
    out.append('    signatures are those of telepot_ng.Bot; the Bot supplies ``_api`` returning an'
               ' awaitable."""\n')
    out.append('    __slots__ = ()\n')
    for name in spec['methods']:
        out.append('    %s = awaitable(_Sync.%s)' % (name, name))
    out.append('\n')
    out.append('realias(AsyncBotMethods, _Sync)     # send_message, kickChatMember, ... as in methods.py')
    out.append('')
    return '\n'.join(out)


# -------------------------------------------------------------------------------- types.py

def render_types(spec: dict) -> str:
    out = [header(spec)]
    out.append('"""A namedtuple class for every Bot API type (fields in spec.TYPES)."""')
    out.append('from .._types import make_type, make_union\n')
    concrete = [n for n, t in spec['types'].items() if 'subtypes' not in t]
    abstract = [n for n, t in spec['types'].items() if 'subtypes' in t]
    for name in concrete:
        desc = ' '.join(spec['types'][name].get('description', [])[:1]).strip()
        out.append('%s = make_type(%r, %r)' % (name, name, desc))
    out.append('')
    for name in abstract:
        desc = ' '.join(spec['types'][name].get('description', [])[:1]).strip()
        out.append('%s = make_union(%r, %r)' % (name, name, desc))
    out.append('')
    out.append('__all__ = %s' % _tuple_lines(concrete + abstract).replace('(\n', '[\n', 1)[:-1] + ']')
    out.append('')
    return '\n'.join(out)


# ---------------------------------------------------------------------------- REFERENCE.md

def render_reference(spec: dict) -> Dict[str, str]:
    """The generated parts of REFERENCE.md: ``'methods'`` (every Bot API method as
    ``Bot`` has it: signature, result, summary, uploads, telepot's positional orders) and
    ``'types'`` (the namedtuple classes).  tests/test_reference.py splices them between
    marker comments and fails while REFERENCE.md's copy differs."""
    compat = _compat()
    nested_file_types = ('InputMedia', 'InputPaidMedia', 'InputSticker', 'InputProfilePhoto',
                         'InputStoryContent')
    lines: List[str] = []
    for name, m in spec['methods'].items():
        fields = m.get('fields', [])
        relaxed = compat.RELAXED_REQUIRED.get(name, {})
        required = [f['name'] for f in fields if f['required'] and f['name'] not in relaxed]
        optional = [f['name'] for f in fields if f['name'] not in required and
                    f['name'] not in relaxed]
        sig = ', '.join(required + ['%s=None' % r for r in relaxed]
                        + (['*'] if optional else []) + optional)
        first = ' '.join(m.get('description', [])[:1]).split('. ')[0].rstrip('.:')
        first = re.sub(r'^Use this method to (\w)', lambda g: g.group(1).upper(), first)
        item = '- `%s(%s)` → %s. %s.' % (name, sig, ' or '.join(m['returns']), first)
        files = [f['name'] for f in fields if 'InputFile' in f['types']]
        nested = [f['name'] for f in fields if f['name'] not in files and any(
            t.replace('Array of ', '').startswith(nested_file_types) for t in f['types'])]
        if files:
            item += ' Uploads: %s.' % ', '.join('`%s`' % f for f in files)
        if nested:
            item += ' Files inside: %s.' % ', '.join('`%s`' % f for f in nested)
        orders = [o for o in compat.LEGACY_ORDERS.get(name, ()) if o]
        if orders:
            item += ' telepot positional: %s.' % ' or '.join(
                '`(%s)`' % ', '.join(o) for o in dict.fromkeys(orders))
        if m.get('since'):
            item += ' *(Bot API %s, from the supplement.)*' % m['since']
        item += ' [API](%s)' % m['href']
        lines.append(item)
    for old, new in compat.METHOD_ALIASES.items():
        lines.append('- `%s` → the same as `%s` (its name until Telegram renamed it).'
                     % (old, new))
    concrete = [n for n, t in spec['types'].items() if 'subtypes' not in t]
    abstract = [(n, t['subtypes']) for n, t in spec['types'].items() if 'subtypes' in t]
    types = ['%d concrete types: %s.' % (len(concrete), ', '.join('`%s`' % n for n in concrete)),
             '', '%d abstract types (calling one builds the variant the data names):'
             % len(abstract), '']
    types += ['- `%s`: %s' % (n, ', '.join(subs)) for n, subs in abstract]
    return {'methods': '\n'.join(lines), 'types': '\n'.join(types),
            'supplement': render_supplement_summary(spec)}


def render_supplement_summary(spec: dict) -> str:
    """REFERENCE.md's list of what the supplement adds to the spec, and what it lacks."""
    items = supplement_items(spec)
    versions = spec.get('supplement', {}).get('versions', {})
    heads = {'methods': 'Methods', 'types': 'Types', 'update_types': 'Update kinds',
             'fields': 'Fields', 'params': 'Parameters', 'returns': 'Changed results'}
    lines: List[str] = []
    for version, date in versions.items():
        lines.append('Bot API %s (%s):' % (version, date))
        lines.append('')
        for kind, head in heads.items():
            names = [n for n, v in items[kind].items() if v == version]
            if kind == 'fields':
                names = [n for n in names if not n.startswith('Update.')]
            if names:
                lines.append('- %s: %s.' % (head, ', '.join('`%s`' % n for n in names)))
        for src, dst, fields, since in spec.get('supplement', {}).get('moved', ()):
            if since == version:
                lines.append('- Moved from `%s` to `%s`: %s.' % (
                    src, dst, ', '.join('`%s`' % f for f in fields)))
        lines.append('')
    lines.append('Known but missing (not generated):')
    lines.append('')
    lines.extend('- %s' % m for m in spec.get('supplement', {}).get('missing', ()))
    return '\n'.join(lines)


# ---------------------------------------------------------------------------------- driver

def render_all(spec: dict) -> Dict[str, str]:
    return {
        '__init__.py': header(spec)
        + '"""Code generated from the Bot API snapshot; see telepot_ng/_codegen."""\n',
        'spec.py': render_spec(spec),
        'methods.py': render_methods(spec),
        'aio_methods.py': render_aio_methods(spec),
        'types.py': render_types(spec),
    }


def main(argv: Sequence[str]) -> int:
    try:
        spec = build_spec()
    except ValueError as e:           # the supplement and the spec disagree
        print('cannot apply %s: %s' % (os.path.basename(SUPPLEMENT), e))
        return 2
    files = render_all(spec)
    stale = []
    for name, text in files.items():
        path = os.path.join(OUT_DIR, name)
        current = open(path, encoding='utf-8').read() if os.path.exists(path) else None
        if current != text:
            stale.append(name)
            if '--check' not in argv:
                with open(path, 'w', encoding='utf-8') as f:
                    f.write(text)
    if '--check' in argv:
        if stale:
            print('stale generated modules: %s' % ', '.join(stale))
            return 1
        print('generated modules match %s and %s' % (os.path.basename(SNAPSHOT),
                                                     os.path.basename(SUPPLEMENT)))
        return 0
    print('wrote %s' % (', '.join(stale) if stale else 'nothing (already up to date)'))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
