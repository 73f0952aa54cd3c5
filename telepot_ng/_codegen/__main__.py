"""Generate telepot_ng/_generated/* from the Bot API snapshot in this folder.

Usage (from a source checkout)::

    python -m telepot_ng._codegen            # rewrite the generated modules
    python -m telepot_ng._codegen --check    # exit 1 if they differ from the snapshot

To move to a new Bot API version, replace ``botapi.json`` with the new spec (same JSON
format: https://github.com/PaulSonOfLars/telegram-bot-api-spec) and rerun.  The tests
(tests/test_generated.py) fail while the checked-in modules and the snapshot disagree.
"""
from __future__ import annotations

import json
import keyword
import os
import re
import sys
import textwrap
from typing import Dict, List, Sequence, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
SNAPSHOT = os.path.join(HERE, 'botapi.json')
OUT_DIR = os.path.join(os.path.dirname(HERE), '_generated')

HEADER = '''\
# GENERATED FILE -- DO NOT EDIT.
# Source: telepot_ng/_codegen/botapi.json ({version}, {date}).
# Regenerate with: python -m telepot_ng._codegen
'''

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
    out = [HEADER.format(version=spec['version'], date=spec['release_date'])]
    out.append('"""Compact tables of the Bot API snapshot: methods, types, update kinds."""\n')
    out.append('API_VERSION = %r' % spec['version'].replace('Bot API ', ''))
    out.append('API_RELEASE_DATE = %r\n' % spec['release_date'])
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
    return '\n'.join(out)


def _tuple_lines(items: Sequence[str]) -> str:
    body = textwrap.fill(', '.join(repr(i) for i in items) + ',', width=90,
                         initial_indent='    ', subsequent_indent='    ')
    return '(\n%s\n)' % body


# ------------------------------------------------------------------------------ methods.py

def _doc(text_lines: Sequence[str], href: str, indent: str) -> str:
    first = ' '.join(text_lines[:1]).strip().replace('\\', '\\\\').replace('"""', "'''")
    wrapped = textwrap.fill(first, width=92 - len(indent))
    body = textwrap.indent(wrapped, indent)
    return '%s"""%s\n\n%sSee: %s\n%s"""' % (indent, body.lstrip(), indent, href, indent)


def render_methods(spec: dict) -> str:
    compat = _compat()

    out = [HEADER.format(version=spec['version'], date=spec['release_date'])]
    out.append('"""Every Bot API method as a Python method (mixed into telepot_ng.Bot)."""')
    out.append('from typing import Any, Dict, List, Optional, Union\n')
    out.append('from .._typing import InputFileLike, JSONObject\n\n')
    out.append('class BotMethods:')
    out.append('    """Bot API %s methods.  Each returns the ``result`` of Telegram\'s answer as plain'
               % spec['version'].replace('Bot API ', ''))
    out.append('    dicts/lists/scalars; parameters are documented at core.telegram.org/bots/api."""\n')
    out.append('    __slots__ = ()\n')
    out.append('    def _api(self, method: str, args: tuple, params: Dict[str, Any],')
    out.append('             kwargs: Dict[str, Any]) -> Any:  # pragma: no cover - provided by Bot')
    out.append('        raise NotImplementedError\n')
    aliases: List[Tuple[str, str]] = []
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
        out.append(_doc(m.get('description', []), m['href'], '        '))
        params = '{%s}' % ', '.join('%r: %s' % (n, n) for n in names)
        call = "return self._api(%r, %s, %s, kwargs)" % (name, 'args' if legacy else '()', params)
        out.extend(_wrap_call(call, '        '))
        out.append('')
        aliases.append((snake(name), name))
    for old, new in compat.METHOD_ALIASES.items():
        aliases.append((old, new))
        aliases.append((snake(old), new))
    out.append('    # snake_case names, and names Telegram has since changed')
    for alias, target in aliases:
        out.append('    %s = %s' % (alias, target))
    out.append('')
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


# -------------------------------------------------------------------------------- types.py

def render_types(spec: dict) -> str:
    out = [HEADER.format(version=spec['version'], date=spec['release_date'])]
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
    return {'methods': '\n'.join(lines), 'types': '\n'.join(types)}


# ---------------------------------------------------------------------------------- driver

def render_all(spec: dict) -> Dict[str, str]:
    return {
        '__init__.py': HEADER.format(version=spec['version'], date=spec['release_date'])
        + '"""Code generated from the Bot API snapshot; see telepot_ng/_codegen."""\n',
        'spec.py': render_spec(spec),
        'methods.py': render_methods(spec),
        'types.py': render_types(spec),
    }


def main(argv: Sequence[str]) -> int:
    spec = load_spec()
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
        print('generated modules match %s' % os.path.basename(SNAPSHOT))
        return 0
    print('wrote %s' % (', '.join(stale) if stale else 'nothing (already up to date)'))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
