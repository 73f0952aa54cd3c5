"""Key functions and routing tables for telepot_ng.aio: telepot_ng.routing's own.  The
tables look their methods up when called, so ``async def on_text(...)`` methods work (use
them with :class:`telepot_ng.aio.helper.Router`, whose ``route`` awaits)."""
from ..routing import (by_chat_command, by_command, by_content_type, by_data, by_regex,
                       by_text, lower_key, make_content_type_routing_table, make_routing_table,
                       process_key, upper_key)

__all__ = ['by_content_type', 'by_command', 'by_chat_command', 'by_text', 'by_data',
           'by_regex', 'process_key', 'lower_key', 'upper_key', 'make_routing_table',
           'make_content_type_routing_table']
