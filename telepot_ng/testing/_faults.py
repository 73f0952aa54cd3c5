"""Fault injection rules: per method, N times or with a seeded probability."""
from __future__ import annotations

import itertools
import json
import random
from typing import Any, Dict, List, Optional

from ._http import DROP, HttpResponse
from ._journal import canonical_method

__all__ = ['Faults', 'FaultRule', 'FAULT_KINDS']

FAULT_KINDS = ('flood', 'server_error', 'error', 'drop', 'delay')

_HTML = ('<html>\r\n<head><title>{0} {1}</title></head>\r\n<body>\r\n<center><h1>{0} {1}</h1>'
         '</center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n')
_REASONS = {500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable',
            504: 'Gateway Timeout'}
_DEFAULT_DESCRIPTIONS = {400: 'Bad Request: injected error',
                         403: 'Forbidden: bot was blocked by the user'}


class FaultRule:
    """One rule; ``remaining`` None means unlimited (with a probability)."""

    __slots__ = ('id', 'method', 'kind', 'remaining', 'probability', 'chat_id', 'retry_after',
                 'status', 'description', 'delay', 'fired')

    def __init__(self, rule_id: int, method: str, kind: str, remaining: Optional[int],
                 probability: Optional[float], chat_id: Any, retry_after: int,
                 status: Optional[int], description: Optional[str], delay: float) -> None:
        self.id = rule_id
        self.method = method
        self.kind = kind
        self.remaining = remaining
        self.probability = probability
        self.chat_id = chat_id
        self.retry_after = retry_after
        self.status = status
        self.description = description
        self.delay = delay
        self.fired = 0

    def as_dict(self) -> Dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__}

    def response(self) -> HttpResponse:
        """The answer this fault gives (not used for 'delay')."""
        if self.kind == 'drop':
            return DROP
        if self.kind == 'server_error':
            status = self.status or 502
            body = _HTML.format(status, _REASONS.get(status, 'Error')).encode()
            return HttpResponse(status, body, 'text/html')
        if self.kind == 'flood':
            payload = {'ok': False, 'error_code': 429,
                       'description': 'Too Many Requests: retry after %d' % self.retry_after,
                       'parameters': {'retry_after': self.retry_after}}
            return HttpResponse(429, json.dumps(payload).encode())
        status = self.status or 400
        description = self.description or _DEFAULT_DESCRIPTIONS.get(status, 'Error')
        return HttpResponse(status, json.dumps({'ok': False, 'error_code': status,
                                                'description': description}).encode())


class Faults:
    """The active rules, consulted for every Bot API call."""

    def __init__(self, seed: Optional[int] = None) -> None:
        self.rules: List[FaultRule] = []
        self.rng = random.Random(seed)
        self._ids = itertools.count(1)

    def seed(self, seed: Optional[int]) -> None:
        self.rng.seed(seed)

    def add(self, method: str, kind: str, times: Optional[int] = None,
            probability: Optional[float] = None, chat_id: Any = None, retry_after: int = 1,
            status: Optional[int] = None, description: Optional[str] = None,
            delay: float = 0.0) -> int:
        if kind not in FAULT_KINDS:
            raise ValueError('fault kind must be one of %s' % ', '.join(FAULT_KINDS))
        if probability is not None and not 0.0 <= probability <= 1.0:
            raise ValueError('probability must be within [0, 1]')
        if kind == 'server_error' and status is not None and not 500 <= status <= 599:
            raise ValueError('server_error status must be 5xx')
        if kind == 'error' and status is not None and not 400 <= status <= 499:
            raise ValueError('error status must be 4xx')
        if times is None and probability is None:
            times = 1
        rule = FaultRule(next(self._ids), '*' if method == '*' else canonical_method(method) or '*',
                         kind, times, probability, chat_id, int(retry_after), status, description,
                         float(delay))
        self.rules.append(rule)
        return rule.id

    def clear(self, rule_id: Optional[int] = None) -> None:
        self.rules = [r for r in self.rules if rule_id is not None and r.id != rule_id]

    def pick(self, method: str, chat_id: Any) -> Optional[FaultRule]:
        """The rule that fires for this call, if any (consumes one of its times)."""
        for rule in self.rules:
            if rule.method != '*' and rule.method != method:
                continue
            if rule.chat_id is not None and rule.chat_id != chat_id:
                continue
            if rule.remaining is not None and rule.remaining <= 0:
                continue
            if rule.probability is not None and self.rng.random() >= rule.probability:
                continue
            if rule.remaining is not None:
                rule.remaining -= 1
            rule.fired += 1
            return rule
        return None
