"""Type aliases shared by the public API."""
from __future__ import annotations

import os
from typing import IO, Any, Dict, Mapping, Tuple, Union

#: A Bot API object given as a dict or as a telepot_ng.namedtuple instance.
JSONObject = Union[Mapping[str, Any], Tuple[Any, ...]]

#: Something that can be uploaded: an open binary file, bytes, a filesystem path
#: (``pathlib.Path``), a ``(filename, file_or_bytes)`` pair, or a file_id / URL string
#: (sent as is).
InputFileLike = Union[str, bytes, IO[bytes], 'os.PathLike[str]', Tuple[str, Any]]

#: An update or any object inside one, as Telegram sent it.
Msg = Dict[str, Any]
