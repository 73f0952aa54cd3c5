"""The fake's journal: every request and pushed update, counters, waits on it, and a transcript."""
from __future__ import annotations

import asyncio
import collections
import time
from typing import Any, Callable, Deque, Dict, List, Optional

from .._generated import spec
from ._params import METHOD_SPECS

__all__ = ['Journal', 'MESSAGE_METHODS', 'canonical_method']

# methods that put new messages in a chat: what "sent messages" means
MESSAGE_METHODS = frozenset(
    m for m, (ret, _) in spec.METHODS.items()
    if m.startswith(('send', 'forward', 'copy'))
    and set(ret) & {'Message', 'Array of Message', 'MessageId', 'Array of MessageId'})


def canonical_method(name: Optional[str]) -> Optional[str]:
    if name is None:
        return None
    ms = METHOD_SPECS.get(name.lower())
    return ms.name if ms is not None else name


class _Waiter:
    __slots__ = ('match', 'count', 'found', 'future')

    def __init__(self, match: Callable[[Dict[str, Any]], bool], count: int,
                 found: List[Dict[str, Any]], future: 'asyncio.Future[None]') -> None:
        self.match = match
        self.count = count
        self.found = found
        self.future = future


def call_matcher(method: Optional[str] = None, chat_id: Any = None, since: int = 0,
                 ok: Optional[bool] = True,
                 params: Optional[Dict[str, Any]] = None) -> Callable[[Dict[str, Any]], bool]:
    """A predicate over call records: method ('*' any, None any message-sending one), chat, params."""
    method = canonical_method(method)

    def match(rec: Dict[str, Any]) -> bool:
        if rec['type'] != 'call' or rec['seq'] <= since:
            return False
        if method is None:
            if rec['method'] not in MESSAGE_METHODS:
                return False
        elif method != '*' and rec['method'] != method:
            return False
        if ok is not None and rec['ok'] != ok:
            return False
        if chat_id is not None and rec.get('chat_id') != chat_id:
            return False
        if params:
            got = rec['params']
            for key, value in params.items():
                if got.get(key) != value:
                    return False
        return True
    return match


class Journal:
    """Ordered records of calls and updates (seq numbers shared), with counters and waiters."""

    def __init__(self, limit: Optional[int] = None) -> None:
        self.records: Deque[Dict[str, Any]] = collections.deque(maxlen=limit)
        self.seq = 0
        self.counts: Dict[str, int] = collections.Counter()
        self.totals: Dict[str, int] = collections.Counter()
        self._waiters: List[_Waiter] = []

    def _add(self, rec: Dict[str, Any]) -> Dict[str, Any]:
        self.seq += 1
        rec['seq'] = self.seq
        self.records.append(rec)
        if self._waiters:
            for w in self._waiters:
                if not w.future.done() and w.match(rec):
                    w.found.append(rec)
                    if len(w.found) >= w.count:
                        w.future.set_result(None)
        return rec

    def record_call(self, rec: Dict[str, Any]) -> Dict[str, Any]:
        """Add a call record (keys: method, params, files, connection, status, ok, ...)."""
        rec['type'] = 'call'
        rec.setdefault('time', time.time())
        self.totals['requests'] += 1
        if rec['ok']:
            self.counts[rec['method']] += 1
        elif not rec.get('expected'):
            self.totals['errors'] += 1
        if rec.get('fault'):
            self.totals['faults'] += 1
        return self._add(rec)

    def record_update(self, update: Dict[str, Any]) -> Dict[str, Any]:
        self.totals['updates'] += 1
        return self._add({'type': 'update', 'time': time.time(), 'update': update})

    def select(self, match: Callable[[Dict[str, Any]], bool],
               limit: Optional[int] = None) -> List[Dict[str, Any]]:
        out = [r for r in self.records if match(r)]
        return out if limit is None else out[:limit]

    async def wait(self, match: Callable[[Dict[str, Any]], bool], count: int,
                   timeout: float) -> List[Dict[str, Any]]:
        """Records matching, once there are ``count`` of them or ``timeout`` passed."""
        found = self.select(match)
        if len(found) >= count:
            return found
        waiter = _Waiter(match, count, found, asyncio.get_running_loop().create_future())
        self._waiters.append(waiter)
        try:
            await asyncio.wait_for(asyncio.shield(waiter.future), timeout)
        except asyncio.TimeoutError:
            pass
        finally:
            self._waiters.remove(waiter)
        return found

    def snapshot(self) -> Dict[str, Any]:
        totals = {k: self.totals.get(k, 0) for k in ('requests', 'errors', 'faults', 'updates')}
        return {'seq': self.seq, 'totals': totals, 'methods': dict(self.counts)}


# -- transcript -----------------------------------------------------------------------------------
def summarize(msg: Any) -> str:
    """A one-line human summary of a Message."""
    if not isinstance(msg, dict):
        return str(msg)
    if 'text' in msg:
        return msg['text']
    for kind in spec.MESSAGE_CONTENT_TYPES:
        if kind in msg:
            value = msg[kind]
            label = kind
            if kind == 'document' and isinstance(value, dict) and value.get('file_name'):
                label = 'document %s' % value['file_name']
            elif kind == 'new_chat_members':
                label = 'joined: ' + ', '.join(u.get('first_name', '?') for u in value)
            elif kind == 'left_chat_member':
                label = 'left: ' + value.get('first_name', '?')
            caption = msg.get('caption')
            return '[%s]%s' % (label, ' ' + caption if caption else '')
    return '[message]'


def transcript(records: List[Dict[str, Any]], world: Any) -> str:
    """Who said what and what the bot answered, one line per event, in order."""
    lines = []
    for rec in records:
        line = _update_line(rec['update'], world) if rec['type'] == 'update' \
            else _call_line(rec, world)
        if line:
            lines.append(line)
    return '\n'.join(lines)


def _update_line(update: Dict[str, Any], world: Any) -> str:
    kind = next((k for k in spec.UPDATE_TYPES if k in update), None)
    body = update.get(kind) if kind else None
    if not isinstance(body, dict):
        return '[update %s]' % (kind or '?')
    who = world.user_name(body.get('from'))
    if kind in ('message', 'edited_message', 'channel_post', 'edited_channel_post',
                'business_message', 'edited_business_message'):
        chat = body.get('chat', {})
        if chat.get('type') == 'channel':
            who = chat.get('title', who)
            where = ''
        else:
            where = '' if chat.get('type') == 'private' else ' @ ' + world.chat_name(chat.get('id'))
        edited = '(edited) ' if kind.startswith('edited') else ''
        if 'ephemeral_message_id' in body:
            edited += '(ephemeral) '
        return '%s%s: %s%s' % (who, where, edited, summarize(body))
    if kind == 'callback_query':
        msg = body.get('message') or {}
        where = 'ephemeral #%s' % msg['ephemeral_message_id'] if 'ephemeral_message_id' in msg \
            else '#%s' % msg.get('message_id', '?')
        return '%s presses [%s] on %s' % (who, body.get('data', body.get('game_short_name')),
                                          where)
    if kind == 'inline_query':
        return '%s asks inline: %r' % (who, body.get('query'))
    if kind == 'chosen_inline_result':
        return '%s chooses inline result %s' % (who, body.get('result_id'))
    if kind == 'widget_query':
        return '%s queries the widget of #%s: %s' % (who, body.get('message_id', '?'),
                                                     body.get('data'))
    if kind == 'shared_widget_query':
        return '%s queries shared widget %s: %s' % (who, body.get('widget_id'), body.get('data'))
    if kind in ('my_chat_member', 'chat_member'):
        return '%s: %s -> %s in %s' % (who, body.get('old_chat_member', {}).get('status'),
                                       body.get('new_chat_member', {}).get('status'),
                                       world.chat_name(body.get('chat', {}).get('id')))
    return '%s: [%s]' % (who, kind)


def _call_line(rec: Dict[str, Any], world: Any) -> str:
    method = rec['method']
    if method == 'getUpdates' and (rec['ok'] or rec.get('expected')):
        return ''
    params = rec['params']
    where = world.chat_name(rec.get('chat_id'))
    if not rec['ok']:
        return 'bot calls %s -> %s %s' % (method, rec['status'], rec.get('error', ''))
    result = rec.get('result')
    if method.startswith('edit') and isinstance(result, dict):
        return 'bot edits #%s in %s: %s' % (result.get('message_id'), where, summarize(result))
    if isinstance(result, list) and result and isinstance(result[0], dict) and 'chat' in result[0]:
        return '\n'.join('bot -> %s: %s' % (where, summarize(m)) for m in result)
    if isinstance(result, dict) and 'ephemeral_message_id' in result and 'chat' in result:
        return 'bot -> %s (ephemeral for %s): %s' % (
            where, world.user_name(result.get('receiver_user')), summarize(result))
    if isinstance(result, dict) and 'message_id' in result and 'chat' in result:
        return 'bot -> %s: %s' % (where, summarize(result))
    if method.startswith('editEphemeralMessage'):
        return 'bot edits ephemeral #%s in %s%s' % (
            params.get('ephemeral_message_id'), where,
            ': %s' % params['text'] if params.get('text') else '')
    if method == 'deleteEphemeralMessage':
        return 'bot deletes ephemeral #%s in %s' % (params.get('ephemeral_message_id'), where)
    if method == 'answerWidgetQuery':
        return 'bot answers widget query' + (': %s' % params['data'] if params.get('data') else '')
    if method in ('editMessageWidgetData', 'editSharedWidgetData'):
        data = ', '.join('%s=%r' % (k, params[k]) for k in ('public_data', 'chat_data')
                         if k in params)
        target = 'shared widget %s' % params.get('widget_id') if 'widget_id' in params \
            else '#%s in %s' % (params.get('message_id', params.get('inline_message_id')), where)
        return 'bot sets widget data of %s: %s' % (target, data)
    if method == 'answerCallbackQuery':
        text = params.get('text')
        return 'bot answers callback' + (': %s' % text if text else '')
    if method == 'answerInlineQuery':
        return 'bot answers inline query with %d result(s)' % len(params.get('results') or [])
    if method == 'sendChatAction':
        return 'bot is %s in %s' % (params.get('action'), where)
    if method in ('deleteMessage', 'deleteMessages'):
        return 'bot deletes %s in %s' % (params.get('message_id', params.get('message_ids')), where)
    return 'bot calls %s' % method
