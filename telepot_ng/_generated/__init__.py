# GENERATED FILE -- DO NOT EDIT.
# Source: telepot_ng/_codegen/botapi.json (Bot API 10.3, August 24, 2026)
# and botapi-supplement.json (Bot API 10.4 of November 9, 2026, Bot API 10.5 of November 22, 2026).
# Regenerate with: python -m telepot_ng._codegen
"""Code generated from the Bot API snapshot; see telepot_ng/_codegen."""
