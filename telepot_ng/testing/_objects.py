"""Plausible Bot API objects built from the spec tables: any type with its required fields."""
from __future__ import annotations

from typing import Any, Dict, Optional

from .._generated import spec

__all__ = ['plausible']

_SCALARS = {'Integer': 0, 'Float': 0.0, 'String': '', 'Boolean': False, 'True': True,
            'InputFile': ''}

# values that make discriminated objects self-consistent
_FIXED: Dict[str, Dict[str, Any]] = {
    'ChatMemberOwner': {'status': 'creator'},
    'ChatMemberAdministrator': {'status': 'administrator'},
    'ChatMemberMember': {'status': 'member'},
    'ChatMemberRestricted': {'status': 'restricted'},
    'ChatMemberLeft': {'status': 'left'},
    'ChatMemberBanned': {'status': 'kicked'},
    'MenuButtonCommands': {'type': 'commands'},
    'ReactionTypeEmoji': {'type': 'emoji', 'emoji': '\U0001F44D'},
    'Sticker': {'type': 'regular', 'width': 512, 'height': 512},
    'Poll': {'type': 'regular', 'is_anonymous': True},
    'StarAmount': {'amount': 0},
}


def plausible(type_name: str, depth: int = 0, **fields: Any) -> Any:
    """A value of Bot API type ``type_name``: required fields filled, ``fields`` laid over."""
    if type_name.startswith('Array of '):
        return []
    if type_name in _SCALARS:
        return _SCALARS[type_name]
    subtypes = spec.SUBTYPES.get(type_name)
    if subtypes:
        return plausible(subtypes[0], depth, **fields)
    members = spec.TYPES.get(type_name)
    if members is None:
        return {}
    out: Dict[str, Any] = {}
    fixed: Optional[Dict[str, Any]] = _FIXED.get(type_name)
    for name, required, types in members:
        if name in fields:
            out[name] = fields[name]
        elif fixed and name in fixed:
            out[name] = fixed[name]
        elif required:
            out[name] = plausible(types[0], depth + 1) if depth < 4 else {}
    for name, value in fields.items():
        out.setdefault(name, value)
    return out
