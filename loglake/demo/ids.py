"""Identifiers drawn from the seeded random generator: request, trace and instance IDs."""

from __future__ import annotations

from random import Random

# Bits of a UUID held as a 128-bit integer (RFC 9562): the version nibble and the variant.
_VERSION_MASK = ~(0xF << 76)
_VERSION_4 = 4 << 76
_VARIANT_MASK = ~(0x3 << 62)
_VARIANT_RFC = 0x2 << 62


class IdSource:
    """Generator of the IDs that Lambda and X-Ray assign, reproducible from one seed."""

    __slots__ = ("_getrandbits",)

    def __init__(self, rng: Random) -> None:
        self._getrandbits = rng.getrandbits

    def request_id(self) -> str:
        """Return a random UUID4 in its 8-4-4-4-12 text form."""
        number = self._getrandbits(128) & _VERSION_MASK & _VARIANT_MASK | _VERSION_4 | _VARIANT_RFC
        text = f"{number:032x}"
        return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"

    def trace_id(self, epoch_second: int) -> str:
        """Return an X-Ray trace ID ``1-<start second, 8 hex>-<24 hex>``."""
        return f"1-{epoch_second:08x}-{self._getrandbits(96):024x}"

    def segment_id(self) -> str:
        """Return an X-Ray segment ID of 16 hex digits."""
        return f"{self._getrandbits(64):016x}"

    def instance_hex(self) -> str:
        """Return the 32 hex digits that end a log stream name and name one environment."""
        return f"{self._getrandbits(128):032x}"
