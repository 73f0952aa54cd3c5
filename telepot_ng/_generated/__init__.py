# GENERATED FILE -- DO NOT EDIT.
# Source: telepot_ng/_codegen/botapi.json (Bot API 10.1, June 11, 2026).
# Regenerate with: python -m telepot_ng._codegen
"""Code generated from the Bot API snapshot; see telepot_ng/_codegen."""
