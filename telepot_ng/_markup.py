"""Parse HTML, MarkdownV2 and legacy Markdown into plain text and entities, as Telegram does.

The inverse of the renderers in :mod:`telepot_ng.text`; errors carry Telegram's wording (what
follows ``Bad Request: can't parse entities: ``), with byte offsets into the UTF-8 text.
Offsets and lengths of the entities are UTF-16 code units.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Tuple

__all__ = ['EntityParseError', 'parse_entities', 'utf16_length']


class EntityParseError(ValueError):
    """Markup Telegram refuses; ``str(e)`` is Telegram's description of the problem."""


Entity = Dict[str, Any]


def utf16_length(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (what entity offsets count)."""
    return len(text) + sum(1 for c in text if c > '\uffff') if text and max(text) > '\uffff' \
        else len(text)


def _byte(text: str, i: int) -> int:
    return len(text[:i].encode('utf-8', 'surrogatepass'))


class _Out:
    """The plain text being built, and the entities over it (str indices until finish())."""

    __slots__ = ('parts', 'size', 'entities')

    def __init__(self) -> None:
        self.parts: List[str] = []
        self.size = 0
        self.entities: List[Tuple[int, int, int, Entity]] = []   # start, end, order, entity

    def add(self, s: str) -> None:
        self.parts.append(s)
        self.size += len(s)

    def text(self) -> str:
        if len(self.parts) > 1:
            self.parts = [''.join(self.parts)]
        return self.parts[0] if self.parts else ''

    def entity(self, start: int, entity: Entity, end: Optional[int] = None) -> None:
        end = self.size if end is None else end
        if end > start:
            self.entities.append((start, end, len(self.entities), entity))

    def finish(self) -> Tuple[str, List[Entity]]:
        text = self.text()
        spans = _fix(self.entities)
        astral = bool(text) and max(text) > '\uffff'
        if astral:
            units = [0]
            for c in text:
                units.append(units[-1] + (2 if c > '\uffff' else 1))
        out = []
        for start, end, _, e in spans:
            if astral:
                start, end = units[start], units[end]
            e = dict(e)
            e['offset'], e['length'] = start, end - start
            out.append(e)
        return text, out


_CODES = ('code', 'pre')


def _fix(spans: List[Tuple[int, int, int, Entity]]) -> List[Tuple[int, int, int, Entity]]:
    """Telegram's order (by offset, longer or outer first) without the entities inside code or pre
    (Telegram allows none; a ``<code class="language-x">`` inside ``<pre>`` gave the pre its
    language). ``order`` is the closing order: of two entities with the same bounds, the
    one closed first is the inner one."""
    spans = sorted(spans, key=lambda s: (s[0], -s[1], -s[2]))   # outer first
    codes = [s for s in spans if s[3]['type'] in _CODES]
    if not codes:
        return spans
    return [s for s in spans
            if not any(c is not s and c[0] <= s[0] and s[1] <= c[1] and
                       ((c[0], c[1]) != (s[0], s[1]) or s[2] < c[2]) for c in codes)]


# -- links ---------------------------------------------------------------------------------
_USER_LINK = re.compile(r'tg://user\?id=(\d{1,19})$')
_EMOJI_LINK = re.compile(r'tg://emoji\?id=(\d{1,19})$')
_TIME_LINK = re.compile(r'tg://time\?unix=(-?\d{1,19})(?:&format=([A-Za-z]*))?$')
_SCHEME = re.compile(r'^[A-Za-z][A-Za-z0-9+.-]*://\S+$')
_HOST = re.compile(r'^[^\s/:?#]+\.[^\s/:?#]+(?:[:/?#]\S*)?$')


def _link(url: str) -> Optional[Entity]:
    """The entity a link target makes: text_mention for tg://user, text_link for a valid URL,
    None (no entity, the text stays) for anything else."""
    url = url.strip()
    m = _USER_LINK.match(url)
    if m:
        return {'type': 'text_mention', 'user': {'id': int(m.group(1)), 'is_bot': False,
                                                 'first_name': ''}}
    if _SCHEME.match(url) or _HOST.match(url):
        return {'type': 'text_link', 'url': url}
    return None


def _emoji_or_time(url: str, where: str) -> Entity:
    m = _EMOJI_LINK.match(url.strip())
    if m:
        return {'type': 'custom_emoji', 'custom_emoji_id': m.group(1)}
    m = _TIME_LINK.match(url.strip())
    if m:
        e: Entity = {'type': 'date_time', 'unix_time': int(m.group(1))}
        if m.group(2):
            e['date_time_format'] = m.group(2)
        return e
    raise EntityParseError('Custom emoji URL must have an emoji identifier' if 'emoji' in url
                           else 'Wrong %s URL specified' % where)


# -- HTML ----------------------------------------------------------------------------------
_HTML_TAGS = {'b': 'bold', 'strong': 'bold', 'i': 'italic', 'em': 'italic', 'u': 'underline',
              'ins': 'underline', 's': 'strikethrough', 'strike': 'strikethrough',
              'del': 'strikethrough', 'tg-spoiler': 'spoiler', 'span': 'spoiler', 'a': 'a',
              'code': 'code', 'pre': 'pre', 'blockquote': 'blockquote',
              'tg-emoji': 'custom_emoji', 'tg-time': 'date_time'}
_NAMED = {'lt': '<', 'gt': '>', 'amp': '&', 'quot': '"'}
_ENTITY = re.compile(r'&(?:#(\d{1,7})|#[xX]([0-9A-Fa-f]{1,6})|([a-zA-Z]{2,4}));')
_SPACE = ' \t\n\r\f\v'
_HTML_STOP = re.compile('[<&]')
_NAME = re.compile(r'[^ \t\n\r\f\v>]*')
_ATTR = re.compile(r'[^ \t\n\r\f\v=>]*')
_BLANKS = re.compile(r'[ \t\n\r\f\v]*')


def _html_entity(text: str, i: int) -> Optional[Tuple[str, int]]:
    """(character, index after it) for a character reference at text[i], if it is one."""
    m = _ENTITY.match(text, i)
    if m is None:
        return None
    if m.group(3) is not None:
        ch = _NAMED.get(m.group(3))
        return (ch, m.end()) if ch else None
    code = int(m.group(1)) if m.group(1) else int(m.group(2), 16)
    if code == 0 or code > 0x10ffff or 0xd800 <= code <= 0xdfff:
        return None
    return chr(code), m.end()


def _html_decode(value: str) -> str:
    if '&' not in value:
        return value
    out, i = [], 0
    while i < len(value):
        if value[i] == '&':
            hit = _html_entity(value, i)
            if hit is not None:
                out.append(hit[0])
                i = hit[1]
                continue
        out.append(value[i])
        i += 1
    return ''.join(out)


def _parse_html(text: str) -> Tuple[str, List[Entity]]:
    out = _Out()
    stack: List[Tuple[str, Dict[str, str], int]] = []       # tag, attributes, start
    n = len(text)
    i = 0
    while i < n:
        c = text[i]
        if c == '&':
            hit = _html_entity(text, i)
            if hit is not None:
                out.add(hit[0])
                i = hit[1]
                continue
        if c != '<':
            m = _HTML_STOP.search(text, i + 1)
            j = m.start() if m else n
            out.add(text[i:j])
            i = j
            continue
        begin = i
        i += 1
        if i < n and text[i] == '/':
            # an end tag
            if not stack:
                raise EntityParseError('Unexpected end tag at byte offset %d' % _byte(text, begin))
            i += 1
            j = _NAME.match(text, i).end()
            name = text[i:j].lower()
            j = _BLANKS.match(text, j).end()
            if j >= n or text[j] != '>':
                raise EntityParseError('Unclosed end tag at byte offset %d' % _byte(text, begin))
            tag, attrs, start = stack.pop()
            if name and name != tag:
                raise EntityParseError('Unmatched end tag at byte offset %d, expected "</%s>", '
                                       'found "</%s>"' % (_byte(text, begin), tag, name))
            i = j + 1
            _html_close(out, tag, attrs, start)
            continue
        j = _NAME.match(text, i).end()
        if j >= n:
            raise EntityParseError('Unclosed start tag at byte offset %d' % _byte(text, begin))
        tag = text[i:j].lower()
        if tag not in _HTML_TAGS:
            raise EntityParseError('Unsupported start tag "%s" at byte offset %d'
                                   % (tag, _byte(text, begin)))
        attrs: Dict[str, str] = {}
        i = j
        while True:
            i = _BLANKS.match(text, i).end()
            if i >= n:
                raise EntityParseError('Unclosed start tag at byte offset %d' % _byte(text, begin))
            if text[i] == '>':
                i += 1
                break
            a = i
            i = _ATTR.match(text, i).end()
            attr = text[a:i].lower()
            if not attr:
                raise EntityParseError('Empty attribute name in the tag "%s" at byte offset %d'
                                       % (tag, _byte(text, begin)))
            i = _BLANKS.match(text, i).end()
            if i >= n or text[i] != '=':
                if tag == 'blockquote' and attr == 'expandable':
                    attrs[attr] = ''
                    continue
                raise EntityParseError('Expected equal sign in declaration of an attribute of '
                                       'the tag "%s" at byte offset %d' % (tag, _byte(text, begin)))
            i = _BLANKS.match(text, i + 1).end()
            if i >= n:
                raise EntityParseError('Unclosed start tag "%s" at byte offset %d'
                                       % (tag, _byte(text, begin)))
            if text[i] in '"\'':
                quote = text[i]
                end = text.find(quote, i + 1)
                if end < 0:
                    raise EntityParseError('Unclosed start tag at byte offset %d'
                                           % _byte(text, begin))
                value = _html_decode(text[i + 1:end])
                i = end + 1
            else:
                a = i
                while i < n and (text[i].isalnum() and text[i].isascii() or text[i] in '.-'):
                    i += 1
                value = text[a:i].lower()
                if i >= n or (text[i] not in _SPACE and text[i] != '>'):
                    raise EntityParseError('Unexpected end of name token at byte offset %d'
                                           % _byte(text, a))
            attrs.setdefault(attr, value)
        if tag == 'span' and attrs.get('class') != 'tg-spoiler':
            raise EntityParseError('Tag "span" must have class "tg-spoiler" at byte offset %d'
                                   % _byte(text, begin))
        stack.append((tag, attrs, out.size))
    if stack:
        raise EntityParseError("Can't find end tag corresponding to start tag \"%s\""
                               % stack[-1][0])
    return out.finish()


def _html_close(out: _Out, tag: str, attrs: Dict[str, str], start: int) -> None:
    kind = _HTML_TAGS[tag]
    if out.size == start:
        return
    if kind == 'a':
        href = attrs.get('href')
        entity = _link(href if href is not None else out.text()[start:])
        if entity is not None:
            out.entity(start, entity)
    elif kind == 'code':
        lang = attrs.get('class', '')
        entity = {'type': 'code'}
        if lang.startswith('language-') and len(lang) > 9:
            entity['language'] = lang[9:]
        out.entity(start, entity)
    elif kind == 'pre':
        entity = {'type': 'pre'}
        for s, e, _, inner in out.entities:       # <pre><code class="language-x">
            if s == start and e == out.size and inner['type'] == 'code' and 'language' in inner:
                entity['language'] = inner['language']
        out.entity(start, entity)
    elif kind == 'blockquote':
        out.entity(start, {'type': 'expandable_blockquote' if 'expandable' in attrs
                           else 'blockquote'})
    elif kind == 'custom_emoji':
        emoji_id = attrs.get('emoji-id', '')
        if not emoji_id.isdigit():
            raise EntityParseError('Invalid custom emoji identifier specified')
        out.entity(start, {'type': 'custom_emoji', 'custom_emoji_id': emoji_id})
    elif kind == 'date_time':
        unix = attrs.get('unix', '')
        if not unix.lstrip('-').isdigit():
            raise EntityParseError('Invalid Unix time specified')
        entity = {'type': 'date_time', 'unix_time': int(unix)}
        if attrs.get('format'):
            entity['date_time_format'] = attrs['format']
        out.entity(start, entity)
    else:
        out.entity(start, {'type': kind})


def _strip_code_language(entities: List[Entity]) -> List[Entity]:
    for e in entities:
        if e['type'] == 'code':
            e.pop('language', None)
    return entities


# -- MarkdownV2 ----------------------------------------------------------------------------
_V2_RESERVED = '_*[]()~`>#+-=|{}.!'
# what opens an entity, longest first
_V2_OPENERS = (('__', 'underline'), ('_', 'italic'), ('*', 'bold'), ('~', 'strikethrough'),
               ('||', 'spoiler'), ('![', 'custom_emoji'), ('[', 'text_link'), ('```', 'pre'),
               ('`', 'code'))
_V2_STOP = re.compile(r'[_*\[\]()~`>#+\-=|{}.!\\\n]')
_V2_CODE_STOP = re.compile(r'[`\\\n]')
_V2_NAMES = {'bold': 'Bold', 'italic': 'Italic', 'underline': 'Underline',
             'strikethrough': 'Strikethrough', 'spoiler': 'Spoiler', 'code': 'Code', 'pre': 'Pre',
             'text_link': 'TextUrl', 'custom_emoji': 'CustomEmoji'}


def _reserved(ch: str) -> EntityParseError:
    return EntityParseError("Character '%s' is reserved and must be escaped with the preceding "
                            "'\\'" % ch)


def _parse_markdown_v2(text: str) -> Tuple[str, List[Entity]]:
    out = _Out()
    stack: List[List[Any]] = []          # [type, start in out, byte offset, language]
    quote: Optional[List[Any]] = None    # [start in out, expandable]
    state = [True, False]                # at a line start (of the plain text); line quoted
    n = len(text)
    i = 0

    def emit(s: str, in_code: bool) -> None:
        nonlocal quote
        if state[0] and quote is not None and not state[1]:
            _end_quote(out, quote)       # a line without '>' ends the quote
            quote = None
        out.add(s)
        # a newline inside code or pre does not start a line
        state[0] = s == '\n' and not in_code
        if state[0]:
            state[1] = False

    while i < n:
        c = text[i]
        inner = stack[-1][0] if stack else None
        in_code = inner in _CODES
        if c == '\\' and i + 1 < n and '\x00' < text[i + 1] <= '\x7e':
            emit(text[i + 1], in_code)
            i += 2
            continue
        if c == '>' and state[0] and not in_code:
            if quote is not None and text[i - 1] != '\n':
                _end_quote(out, quote)       # '**>': an empty bold parts two quotes
                quote = None
            if quote is None:
                quote = [out.size, False]
            state[0], state[1] = False, True
            i += 1
            continue
        reserved = '`' if in_code else _V2_RESERVED
        if c not in reserved:
            j = i + 1
            if c != '\n':
                m = (_V2_CODE_STOP if in_code else _V2_STOP).search(text, j)
                j = m.start() if m else n
            emit(text[i:j], in_code)
            i = j
            continue
        nxt = text[i + 1] if i + 1 < n else ''
        if inner == 'bold':
            closing = c == '*'
        elif inner == 'italic':
            closing = c == '_' and nxt != '_'
        elif inner == 'underline':
            closing = c == '_' and nxt == '_'
        elif inner == 'strikethrough':
            closing = c == '~'
        elif inner == 'spoiler':
            closing = c == '|' and nxt == '|'
        elif inner == 'code':
            closing = c == '`'
        elif inner == 'pre':
            closing = text.startswith('```', i)
        elif inner in ('text_link', 'custom_emoji'):
            closing = c == ']'
        else:
            closing = False
        if not closing and not stack and c == '|' and nxt == '|' and quote is not None and \
                (i + 2 >= n or text[i + 2] == '\n'):
            # the expandability mark ends the quote's last line (with nothing left open: else
            # it starts a spoiler)
            quote[1] = True
            i += 2
            continue
        if closing:
            kind, start, byte, lang = stack.pop()
            if kind in ('underline', 'spoiler'):
                i += 2
            elif kind == 'pre':
                i += 3
            elif kind in ('text_link', 'custom_emoji'):
                i += 1
                if i < n and text[i] == '(':
                    i += 1
                    url_begin = i
                    url = []
                    while i < n and text[i] != ')':
                        if text[i] == '\\' and i + 1 < n and '\x00' < text[i + 1] <= '\x7e':
                            url.append(text[i + 1])
                            i += 2
                            continue
                        url.append(text[i])
                        i += 1
                    if i >= n:
                        raise EntityParseError("Can't find end of a URL at byte offset %d"
                                               % _byte(text, url_begin))
                    i += 1
                    target = ''.join(url)
                else:
                    target = out.text()[start:]
                if out.size > start:
                    if kind == 'custom_emoji':
                        out.entity(start, _emoji_or_time(target, 'custom emoji'))
                    else:
                        link = _link(target)
                        if link is not None:
                            out.entity(start, link)
                continue
            else:
                i += 1
            entity = {'type': kind}
            if lang:
                entity['language'] = lang
            out.entity(start, entity)
            continue
        # an entity starts
        begin = i
        lang = ''
        for token, kind in _V2_OPENERS:
            if text.startswith(token, i):
                i += len(token)
                break
        else:
            raise _reserved(c)
        if kind == 'pre':
            i, lang = _pre_opening(text, i)
        stack.append([kind, out.size, _byte(text, begin), lang])
    if stack:
        kind, _, byte, lang = stack[-1]
        name = 'PreCode' if kind == 'pre' and lang else _V2_NAMES[kind]
        raise EntityParseError("Can't find end of %s entity at byte offset %d" % (name, byte))
    if quote is not None:
        _end_quote(out, quote)
    return out.finish()


def _pre_opening(text: str, i: int) -> Tuple[int, str]:
    """After a pre's opening backticks at ``i``: (where its content starts, its language).
    A word up to a space is the language; one line break after it is skipped."""
    n = len(text)
    j = _LANGUAGE.match(text, i).end()
    lang = ''
    if j != i and j < n and text[j] != '`':
        lang = text[i:j]
        i = j
    if i < n and text[i] in '\r\n':
        i += 2 if i + 1 < n and text[i + 1] in '\r\n' and text[i] != text[i + 1] else 1
    return i, lang


_LANGUAGE = re.compile(r'[^ \t\n\r\f\v`]*')


def _end_quote(out: _Out, quote: List[Any]) -> None:
    """The quote covers its lines and the newline that ends the last one."""
    end = out.size
    text = out.text()
    while end > quote[0] and text[end - 1] == '\n':
        end -= 1
    if end < out.size:
        end += 1
    out.entity(quote[0], {'type': 'expandable_blockquote' if quote[1] else 'blockquote'}, end)


# -- legacy Markdown -----------------------------------------------------------------------
_MD_STOP = re.compile(r'[_*`\[\\]')


def _parse_markdown(text: str) -> Tuple[str, List[Entity]]:
    out = _Out()
    n = len(text)
    i = 0
    while i < n:
        c = text[i]
        if c == '\\' and i + 1 < n and text[i + 1] in '_*`[':
            out.add(text[i + 1])
            i += 2
            continue
        if c not in '_*`[':
            m = _MD_STOP.search(text, i + 1)
            j = m.start() if m else n
            out.add(text[i:j])
            i = j
            continue
        begin = i
        end_char = ']' if c == '[' else c
        i += 1
        pre = False
        lang = ''
        if c == '`' and text.startswith('``', i):
            pre = True
            i, lang = _pre_opening(text, i + 2)
        start = out.size
        if pre:
            end = text.find('```', i)
        else:
            end = text.find(end_char, i)
        if end < 0:
            raise EntityParseError("Can't find end of the entity starting at byte offset %d"
                                   % _byte(text, begin))
        out.add(text[i:end])
        i = end
        if out.size > start:
            if c == '_':
                out.entity(start, {'type': 'italic'})
            elif c == '*':
                out.entity(start, {'type': 'bold'})
            elif c == '[':
                if text.startswith('(', i + 1):
                    close = text.find(')', i + 2)
                    close = n if close < 0 else close
                    url = text[i + 2:close]
                    i = close
                else:
                    url = text[begin + 1:end]
                link = _link(url)
                if link is not None:
                    out.entity(start, link)
            elif pre:
                out.entity(start, {'type': 'pre', 'language': lang} if lang else {'type': 'pre'})
            else:
                out.entity(start, {'type': 'code'})
        i += 3 if pre else 1
    return out.finish()


_PARSERS = {'html': _parse_html, 'markdownv2': _parse_markdown_v2, 'markdown': _parse_markdown}


def parse_entities(text: str, parse_mode: Optional[str]) -> Tuple[str, List[Entity]]:
    """``(plain text, entities)`` of ``text`` in ``parse_mode`` ('HTML', 'MarkdownV2' or
    'Markdown', any case; None or '' for plain text).

    Raises EntityParseError (a ValueError) with Telegram's description for markup Telegram
    refuses, and ValueError('unsupported parse_mode') for an unknown mode.
    """
    if not parse_mode:
        return text, []
    parser = _PARSERS.get(parse_mode.lower())
    if parser is None:
        raise ValueError('unsupported parse_mode')
    plain, entities = parser(text)
    return plain, _strip_code_language(entities)
