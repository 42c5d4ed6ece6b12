"""
PHP's `serialize()` format, read (never written), for the meta WordPress plugins store that way
(Akismet's `akismet_history` and `akismet_as_submitted`).

Only data: strings, numbers, booleans, null and arrays. An object (`O:`) or anything else is
refused. Lengths are in bytes, but real exports break them (a site address changed by a search
and replace leaves `s:22:"https://a-longer-address.example"`), so a string whose declared length
does not end at `";` is read up to the next `";` instead.

What PHP's own `unserialize()` would refuse is refused here too, as a PHPValueError (the
caller leaves the value out): an array nested deeper than MAX_DEPTH (Akismet's go two deep;
the limit keeps Python's recursion far from its own), an array key that is not an integer or
a string, a length too long to be one.
"""

MAX_DEPTH = 64
MAX_DIGITS = 19  # a length or a count of more digits is not one (and int() stops at 4,300)


class PHPValueError(ValueError):
    pass


def loads(text: str):
    data = text.encode("utf-8")
    value, end = _value(data, 0, 0)
    if data[end:].strip():
        raise PHPValueError(f"unexpected data after position {end}")
    return value


def _number(data: bytes, start: int, stop: bytes) -> tuple[str, int]:
    end = data.find(stop, start)
    if end < 0:
        raise PHPValueError(f"unterminated value at {start}")
    return data[start:end].decode("ascii", "replace"), end + 1


def _length(raw: str, what: str) -> int:
    if not (raw.isascii() and raw.isdigit()) or len(raw) > MAX_DIGITS:
        raise PHPValueError(f"bad {what} length {raw[:30]!r}")
    return int(raw)


def _value(data: bytes, pos: int, depth: int):
    kind = data[pos : pos + 2]
    if kind == b"N;":
        return None, pos + 2
    if kind in (b"i:", b"d:", b"b:"):
        raw, end = _number(data, pos + 2, b";")
        try:
            if kind == b"i:":
                return int(raw), end
            if kind == b"d:":
                return float(raw), end
            return raw == "1", end
        except ValueError as error:
            raise PHPValueError(f"bad number {raw!r}") from error
    if kind == b"s:":
        raw, start = _number(data, pos + 2, b":")
        if data[start : start + 1] != b'"':
            raise PHPValueError(f"bad string at {pos}")
        start += 1
        end = start + _length(raw, "string")
        if data[end : end + 2] != b'";':
            end = data.find(b'";', start)  # the declared length is wrong: see the docstring
            if end < 0:
                raise PHPValueError(f"unterminated string at {pos}")
        return data[start:end].decode("utf-8", "replace"), end + 2
    if kind == b"a:":
        return _array(data, pos, depth + 1)
    raise PHPValueError(f"unsupported value {kind!r} at {pos}")


def _array(data: bytes, pos: int, depth: int):
    if depth > MAX_DEPTH:
        raise PHPValueError(f"arrays nested deeper than {MAX_DEPTH}")
    raw, start = _number(data, pos + 2, b":")
    if data[start : start + 1] != b"{":
        raise PHPValueError(f"bad array at {pos}")
    count = _length(raw, "array")
    pos = start + 1
    result = {}
    for _ in range(count):
        key, pos = _value(data, pos, depth)
        if type(key) not in (int, str):  # PHP's keys; a dict or a list cannot be one here
            raise PHPValueError("an array key must be an integer or a string")
        result[key], pos = _value(data, pos, depth)
    if data[pos : pos + 1] != b"}":
        raise PHPValueError(f"bad array end at {pos}")
    return result, pos + 1
