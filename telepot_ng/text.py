"""Render a message's text and entities as HTML, MarkdownV2 or legacy Markdown, and back.

``apply_entities_as_html(msg['text'], msg.get('entities'))`` gives a string that, sent with
``parse_mode='HTML'``, shows the same formatting.  Offsets and lengths are UTF-16 code units
as Telegram counts them, so emoji and other astral characters land correctly.  Entities may
be dicts or :class:`telepot_ng.namedtuple.MessageEntity` instances.

Entity types Telegram detects by itself (mention, hashtag, cashtag, bot_command, url, email,
phone_number) and types unknown to this version are rendered as plain (escaped) text.

``parse_entities(markup, parse_mode)`` goes the other way, as Telegram does when a message is
sent with ``parse_mode``: plain text and entities, or EntityParseError with Telegram's words.
"""
from __future__ import annotations

import heapq
from typing import Any, Iterable, List, Mapping, Optional, Sequence, Tuple

from ._markup import EntityParseError, parse_entities

__all__ = ['apply_entities_as_html', 'apply_entities_as_markdown_v2',
           'apply_entities_as_markdown', 'parse_entities', 'EntityParseError']

_QUOTES = ('blockquote', 'expandable_blockquote')
_LINKS = ('text_link', 'text_mention', 'custom_emoji', 'date_time')
_STYLES = ('bold', 'italic', 'underline', 'strikethrough', 'spoiler')
_CODES = ('code', 'pre')
#: Nesting rank for entities with the same span: lower is outer.
_RANK = dict([(t, 0) for t in _QUOTES] + [(t, 1) for t in _LINKS]
             + [(t, 2) for t in _STYLES] + [(t, 3) for t in _CODES])


def _field(obj: Any, name: str) -> Any:
    if obj is None:
        return None
    if isinstance(obj, Mapping):
        return obj.get(name)
    return getattr(obj, name, None)


class _Span:
    """An entity over str indices [start, end); ``children`` after tree building."""

    __slots__ = ('type', 'start', 'end', 'entity', 'children')

    def __init__(self, type_: Optional[str], start: int, end: int, entity: Any) -> None:
        self.type = type_
        self.start = start
        self.end = end
        self.entity = entity
        self.children: List['_Span'] = []

    def piece(self, start: int, end: int) -> '_Span':
        return _Span(self.type, start, end, self.entity)


def _spans(text: str, entities: Optional[Iterable[Any]]) -> List[_Span]:
    """Entities this module renders, with UTF-16 offsets turned into str indices."""
    if not entities:
        return []
    n = len(text)
    starts = ends = None
    if text and max(text) > '\uffff':
        # starts[u] / ends[u]: str index where an entity starting / ending at UTF-16 offset u
        # starts or ends.  An offset inside a surrogate pair takes in the whole character.
        starts = []
        for i, ch in enumerate(text):
            starts.append(i)
            if ch > '\uffff':
                starts.append(i)
        starts.append(n)
        ends = [i + 1 if u and starts[u - 1] == i else i for u, i in enumerate(starts)]
    limit = n if starts is None else len(starts) - 1
    out = []
    for e in entities:
        t = _field(e, 'type')
        if t not in _RANK:
            continue
        try:
            off = int(_field(e, 'offset'))
            length = int(_field(e, 'length'))
        except (TypeError, ValueError):
            continue
        a, b = max(off, 0), min(off + length, limit)
        if a >= b:
            continue
        if starts is not None:
            a, b = starts[a], ends[b]
        if t in _LINKS and _link_url(t, e) is None:
            continue  # a link without its target: plain text
        out.append(_Span(t, a, b, e))
    return out


def _tree(spans: Sequence[_Span], n: int) -> _Span:
    """Nest spans into a tree.  A span that crosses its parent's end is split there; spans
    inside code or pre, and spans inside one of their own type, are dropped (Telegram
    allows neither)."""
    root = _Span(None, 0, n, None)
    heap = [(s.start, -s.end, _RANK[s.type], k, s) for k, s in enumerate(spans)]
    heapq.heapify(heap)
    seq = len(heap)
    stack = [root]
    while heap:
        start, neg_end, rank, _, span = heapq.heappop(heap)
        while stack[-1].end <= start:
            stack.pop()
        parent = stack[-1]
        if span.end > parent.end:
            rest = span.piece(parent.end, span.end)
            heapq.heappush(heap, (rest.start, -rest.end, rank, seq, rest))
            seq += 1
            span = span.piece(start, parent.end)
        if parent.type in _CODES or any(
                a.type == span.type or (a.type in _QUOTES and span.type in _QUOTES)
                for a in stack[1:]):
            continue
        parent.children.append(span)
        stack.append(span)
    return root


def _walk(text: str, node: _Span, emit_text: Any, open_: Any, close: Any,
          depth: Tuple[_Span, ...] = ()) -> None:
    pos = node.start
    for child in node.children:
        if child.start > pos:
            emit_text(text[pos:child.start], depth)
        open_(child, depth)
        _walk(text, child, emit_text, open_, close, depth + (child,))
        close(child, depth)
        pos = child.end
    if node.end > pos:
        emit_text(text[pos:node.end], depth)


def _link_url(t: str, e: Any) -> Optional[str]:
    """The URL a link-like entity stands for (None when the entity lacks its target)."""
    if t == 'text_link':
        url = _field(e, 'url')
        return None if url is None else str(url)
    if t == 'text_mention':
        uid = _field(_field(e, 'user'), 'id')
        return None if uid is None else 'tg://user?id=%s' % uid
    if t == 'custom_emoji':
        cid = _field(e, 'custom_emoji_id')
        return None if cid is None else 'tg://emoji?id=%s' % cid
    unix = _field(e, 'unix_time')
    fmt = _field(e, 'date_time_format')
    return None if unix is None else 'tg://time?unix=%s%s' % (unix, '&format=' + fmt if fmt else '')


# ------------------------------------------------------------------------------ HTML

_HTML_TEXT = str.maketrans({'&': '&amp;', '<': '&lt;', '>': '&gt;'})
_HTML_ATTR = str.maketrans({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'})
_HTML_SIMPLE = {'bold': 'b', 'italic': 'i', 'underline': 'u', 'strikethrough': 's',
                'spoiler': 'tg-spoiler', 'code': 'code', 'blockquote': 'blockquote'}


def _attr(value: Any) -> str:
    return '"%s"' % str(value).translate(_HTML_ATTR)


def _html_tags(span: _Span) -> Tuple[str, str]:
    """(opening tag, closing tag) of an entity."""
    t, e = span.type, span.entity
    tag = _HTML_SIMPLE.get(t)
    if tag:
        return '<%s>' % tag, '</%s>' % tag
    if t == 'expandable_blockquote':
        return '<blockquote expandable>', '</blockquote>'
    if t == 'pre':
        lang = _field(e, 'language')
        if lang:
            return '<pre><code class=%s>' % _attr('language-' + lang), '</code></pre>'
        return '<pre>', '</pre>'
    if t in ('text_link', 'text_mention'):
        return '<a href=%s>' % _attr(_link_url(t, e)), '</a>'
    if t == 'custom_emoji':
        return '<tg-emoji emoji-id=%s>' % _attr(_field(e, 'custom_emoji_id')), '</tg-emoji>'
    fmt = _field(e, 'date_time_format')
    return ('<tg-time unix=%s%s>' % (_attr(_field(e, 'unix_time')),
                                    ' format=' + _attr(fmt) if fmt else ''), '</tg-time>')


def apply_entities_as_html(text: str, entities: Optional[Iterable[Any]]) -> str:
    """``text`` with its formatting ``entities`` as Telegram HTML (``parse_mode='HTML'``).

    ``&``, ``<`` and ``>`` are escaped everywhere; nested entities become nested tags
    (an entity crossing its parent's end is split in two).
    """
    if not text:
        return ''
    out: List[str] = []
    closers: List[str] = []

    def emit_text(s: str, depth: Any) -> None:
        out.append(s.translate(_HTML_TEXT))

    def open_(span: _Span, depth: Any) -> None:
        opening, closing = _html_tags(span)
        out.append(opening)
        closers.append(closing)

    def close(span: _Span, depth: Any) -> None:
        out.append(closers.pop())

    _walk(text, _tree(_spans(text, entities), len(text)), emit_text, open_, close)
    return ''.join(out)


# ------------------------------------------------------------------------------ MarkdownV2

_V2_TEXT = str.maketrans({c: '\\' + c for c in '\\_*[]()~`>#+-=|{}.!'})
_V2_CODE = str.maketrans({'\\': '\\\\', '`': '\\`'})
_V2_URL = str.maketrans({'\\': '\\\\', ')': '\\)'})
_V2_MARK = {'bold': '*', 'italic': '_', 'underline': '__', 'strikethrough': '~',
            'spoiler': '||'}


def _v2_prepare(text: str, spans: List[_Span]) -> List[_Span]:
    """Make block quotes expressible: a quote must start at a line start and end at a line
    end (else it is rendered without the quote); other entities are cut at quote
    boundaries."""
    n = len(text)
    quotes: List[_Span] = []
    for q in sorted((s for s in spans if s.type in _QUOTES), key=lambda s: (s.start, -s.end)):
        end = q.end
        while end > q.start and text[end - 1] == '\n':
            end -= 1
        if (q.start and text[q.start - 1] != '\n') or (end < n and text[end] != '\n') \
                or end <= q.start or (quotes and q.start <= quotes[-1].end):
            continue
        quotes.append(q.piece(q.start, end))
    if not quotes:
        return [s for s in spans if s.type not in _QUOTES]
    # The newline that ends a quote stays unformatted (an entity open over it would leave
    # the quote unclosed), and so does the one before a quote's '>' for code and pre (a
    # newline inside them does not start a line for Telegram).
    edges = {q.start for q in quotes} | {q.end for q in quotes}
    after = {q.end for q in quotes if q.end < n}
    before = {q.start - 1 for q in quotes if q.start}
    out: List[_Span] = list(quotes)
    for s in spans:
        if s.type in _QUOTES:
            continue
        holes = after | before if s.type in _CODES else after
        bounds = edges | holes | {h + 1 for h in holes}
        pieces: List[List[int]] = []
        a = s.start
        for c in sorted(b for b in bounds if s.start < b < s.end) + [s.end]:
            if a in holes and c == a + 1:
                pass
            elif pieces and pieces[-1][1] == a and a not in edges:
                pieces[-1][1] = c
            else:
                pieces.append([a, c])
            a = c
        out.extend(s.piece(a, c) for a, c in pieces)
    return out


def apply_entities_as_markdown_v2(text: str, entities: Optional[Iterable[Any]]) -> str:
    """``text`` with its formatting ``entities`` as MarkdownV2 (``parse_mode='MarkdownV2'``).

    Every reserved character is escaped (inside code and pre only ``\\`` and `````);
    block quotes become ``>`` lines (expandable ones end with ``||``).  A block quote that
    does not start at a line start or end at a line end is rendered without the quote.
    """
    if not text:
        return ''
    out: List[str] = []
    last_quote_end = [-2]
    last_delim = ['']      # last markup emitted, to separate '_' tokens that would merge

    def put(s: str, delim: str = '') -> None:
        out.append(s)
        last_delim[0] = delim

    def mark(token: str, depth: Tuple[_Span, ...]) -> None:
        if token.startswith('_') and last_delim[0] == '_':
            # italic's '_' then '_' or '__' would read as '__' + ...: part them with an
            # empty entity, as Telegram's docs do (___italic underline_**__)
            top = depth[-1].type if depth else None
            put('~~' if top == 'bold' else '**', '*')
        put(token, token)

    def emit_text(s: str, depth: Tuple[_Span, ...]) -> None:
        inner = depth[-1].type if depth else None
        if inner in _CODES:
            s = s.translate(_V2_CODE)
            if inner == 'pre' and s.startswith('\r') and out and out[-1].endswith('\n'):
                s = '\\' + s   # keep a leading CR from being eaten with the opening newline
            put(s)
            return
        s = s.translate(_V2_TEXT)
        if any(a.type in _QUOTES for a in depth):
            s = s.replace('\n', '\n>')
        put(s)

    def part_line_end(pos: int, depth: Tuple[_Span, ...]) -> None:
        # '||' at the end of a quote's line reads as the expandable-quote mark: a spoiler's
        # delimiter there is parted from the line end with an empty entity
        quotes = [q for q in depth if q.type in _QUOTES]
        if quotes and (pos >= len(text) or text[pos] == '\n' or pos == quotes[-1].end):
            inside = {a.type for a in depth}
            token = next(tok for typ, tok in (('bold', '**'), ('strikethrough', '~~'),
                                              ('underline', '____'), ('code', '``'))
                         if typ not in inside)
            put(token, token[0])

    def open_(span: _Span, depth: Tuple[_Span, ...]) -> None:
        t, e = span.type, span.entity
        if t in _V2_MARK:
            mark(_V2_MARK[t], depth)
            if t == 'spoiler':
                part_line_end(span.start, depth + (span,))
        elif t in _QUOTES:
            put('**>' if span.start == last_quote_end[0] + 1 else '>', '>')
        elif t == 'code':
            put('`', '`')
        elif t == 'pre':
            lang = _field(e, 'language') or ''
            if any(c.isspace() or c == '`' for c in lang):
                lang = ''
            put('```%s\n' % lang, '`')
        elif t in _LINKS:
            put('![' if t in ('custom_emoji', 'date_time') else '[', '[')

    def close(span: _Span, depth: Tuple[_Span, ...]) -> None:
        t, e = span.type, span.entity
        if t in _V2_MARK:
            mark(_V2_MARK[t], depth + (span,))
            if t == 'spoiler' and depth:
                part_line_end(span.end, depth)
        elif t in _QUOTES:
            if t == 'expandable_blockquote':
                put('||', '|')
            last_quote_end[0] = span.end
        elif t == 'code':
            put('`', '`')
        elif t == 'pre':
            put('```', '`')
        else:
            put('](%s)' % _link_url(t, e).translate(_V2_URL), ')')

    spans = _v2_prepare(text, _spans(text, entities))
    _walk(text, _tree(spans, len(text)), emit_text, open_, close)
    return ''.join(out)


# ------------------------------------------------------------------------------ Markdown

_MD_ESCAPE = str.maketrans({c: '\\' + c for c in '_*`['})
#: Legacy Markdown cannot nest: where entities overlap, the first of these wins.
_MD_PRIORITY = ('pre', 'code', 'text_link', 'text_mention', 'bold', 'italic')
_MD_DELIM = {'bold': ('*', '*', '*'), 'italic': ('_', '_', '_'), 'code': ('`', '`', '`'),
             'text_link': ('[', ']', ']'), 'text_mention': ('[', ']', ']')}


def _md_runs(text: str, spans: List[_Span]) -> List[Tuple[int, int, Optional[_Span]]]:
    """Split text into runs carrying at most one entity (the highest in _MD_PRIORITY)."""
    spans = [s for s in spans if s.type in _MD_PRIORITY]
    bounds = sorted({0, len(text)} | {s.start for s in spans} | {s.end for s in spans})
    runs: List[Tuple[int, int, Optional[_Span]]] = []
    for a, b in zip(bounds, bounds[1:]):
        best = None
        for s in spans:
            if s.start <= a and b <= s.end and (
                    best is None or _MD_PRIORITY.index(s.type) < _MD_PRIORITY.index(best.type)):
                best = s
        if runs and runs[-1][2] is best and best is not None:
            runs[-1] = (runs[-1][0], b, best)
        else:
            runs.append((a, b, best))
    return runs


def apply_entities_as_markdown(text: str, entities: Optional[Iterable[Any]]) -> str:
    """``text`` with its entities as legacy Markdown (``parse_mode='Markdown'``, telepot's).

    Legacy Markdown knows only bold, italic, code, pre, text_link and text_mention, and
    cannot nest them: where entities overlap one is kept (pre, code, links, bold, italic in
    that order).  ``_ * ` [`` are escaped outside entities; a character that would end the
    entity it is in is moved outside it (``*2*\\**2=4*``), as Telegram prescribes.
    Prefer :func:`apply_entities_as_markdown_v2` or :func:`apply_entities_as_html`.
    """
    if not text:
        return ''
    out: List[str] = []
    plain = False          # whether out[-1] is unformatted text
    for a, b, span in _md_runs(text, _spans(text, entities)):
        s = text[a:b]
        if span is None:
            out.append(s.translate(_MD_ESCAPE))
            plain = True
            continue
        t, e = span.type, span.entity
        if t == 'pre':
            lang = _field(e, 'language') or ''
            if any(c.isspace() or c == '`' for c in lang):
                lang = ''
            opening, stop, closing = '```%s\n' % lang, '`', '```'
        else:
            opening, stop, closing = _MD_DELIM[t]
        if t in ('text_link', 'text_mention'):
            closing = '](%s)' % _link_url(t, e).replace(')', '%29')
        pieces = s.split(stop)
        if pieces[0] and plain and out[-1].endswith('\\'):
            # A plain backslash before an opener would escape it, and legacy Markdown has
            # no escape for a backslash: move them inside the entity, where they are literal.
            kept = out[-1].rstrip('\\')
            pieces[0] = out[-1][len(kept):] + pieces[0]
            out[-1] = kept
        for k, piece in enumerate(pieces):
            if k:
                out.append('\\' + stop if stop in '_*`[' else stop)
            if piece:
                out.append(opening + piece + closing)
        plain = False
    return ''.join(out)
