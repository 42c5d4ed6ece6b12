"""A page script read as text, for the tests that hold a script and the server's names
together (tests/comments/threads/test_markup.py, tests/comments/admin/test_script.py)."""

import re
from pathlib import Path

from django.conf import settings


class Script:
    """static/js/<name>: its text, its code without comments, its string literals, and the
    names it declares once at its top (`const NAME = "value";`; `var` in an older script)."""

    def __init__(self, name):
        self.text = Path(settings.BASE_DIR, "static", "js", name).read_text()
        self.code = re.sub(r"/\*.*?\*/|//[^\n]*", "", self.text, flags=re.DOTALL)
        self.literals = [a or b for a, b in re.findall(r'"([^"\\]*)"|\'([^\'\\]*)\'', self.code)]
        declaration = re.compile(r'^\s*(?:const|var) ([A-Z_]+) = "([^"]*)";$', re.MULTILINE)
        self.declared = dict(declaration.findall(self.text))

    def assert_spelled_once(self, name, value):
        """`value` is written in one literal only (its declaration), and `name` is used."""
        spelled = re.compile(rf"(?<![\w-]){re.escape(value)}(?![\w-])")
        assert len([text for text in self.literals if spelled.search(text)]) == 1, value
        assert len(re.findall(rf"\b{name}\b", self.code)) > 1, f"{name} is declared but never used"
