"""
PHP's `serialize()` format, read (never written), for the meta WordPress plugins store that way
(Akismet's `akismet_history` and `akismet_as_submitted`).

Only data: strings, numbers, booleans, null and arrays. An object (`O:`) or anything else is
refused. Lengths are in bytes, but real exports break them (a site address changed by a search
and replace leaves `s:22:"https://a-longer-address.example"`), so a string whose declared length
does not end at `";` is read up to the next `";` instead.
"""


class PHPValueError(ValueError):
    pass


def loads(text: str):
    data = text.encode("utf-8")
    value, end = _value(data, 0)
    if data[end:].strip():
        raise PHPValueError(f"unexpected data after position {end}")
    return value


def _number(data: bytes, start: int, stop: bytes) -> tuple[str, int]:
    end = data.find(stop, start)
    if end < 0:
        raise PHPValueError(f"unterminated value at {start}")
    return data[start:end].decode("ascii", "replace"), end + 1


def _value(data: bytes, pos: int):
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
        try:
            length = int(raw)
        except ValueError as error:
            raise PHPValueError(f"bad string length {raw!r}") from error
        end = start + length
        if data[end : end + 2] != b'";':
            end = data.find(b'";', start)  # the declared length is wrong: see the docstring
            if end < 0:
                raise PHPValueError(f"unterminated string at {pos}")
        return data[start:end].decode("utf-8", "replace"), end + 2
    if kind == b"a:":
        raw, start = _number(data, pos + 2, b":")
        if data[start : start + 1] != b"{":
            raise PHPValueError(f"bad array at {pos}")
        pos = start + 1
        result = {}
        for _ in range(int(raw) if raw.isdigit() else 0):
            key, pos = _value(data, pos)
            result[key], pos = _value(data, pos)
        if data[pos : pos + 1] != b"}":
            raise PHPValueError(f"bad array end at {pos}")
        return result, pos + 1
    raise PHPValueError(f"unsupported value {kind!r} at {pos}")
