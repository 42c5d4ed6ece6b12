"""What an import did, in words: counts, what was skipped or left out and why, what changed."""

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Report:
    file_name: str = ""
    site: str = ""
    version: str = ""
    dry_run: bool = False
    error: str = ""
    counts: Counter = field(default_factory=Counter)
    skipped: list = field(default_factory=list)  # (what, why)
    not_imported: list = field(default_factory=list)  # (what, why): parts of imported items
    warnings: list = field(default_factory=list)  # (what, what was done)

    def skip(self, what: str, why: str) -> None:
        self.skipped.append((what, why))

    def warn(self, what: str, message: str) -> None:
        self.warnings.append((what, message))

    @property
    def ok(self) -> bool:
        return not self.error

    def text(self) -> str:
        c = self.counts
        head = f"WordPress import of {self.file_name or 'the export'}"
        if self.site:
            head += f" ({self.site}, WXR {self.version})"
        lines = [head + (": DRY RUN, nothing was saved" if self.dry_run else "")]
        if self.error:
            lines.append(f"ERROR: {self.error}")
        lines += [
            f"Articles: {c['articles_new']} new ({c['published']} published, "
            f"{c['scheduled']} scheduled, {c['drafts']} draft), {c['articles_updated']} "
            f"updated, {c['articles_unchanged']} unchanged",
            f"Comments: {c['comments_new']} new ({c['approved']} approved, {c['pending']} "
            f"pending, {c['spam']} spam, {c['removed']} removed), {c['comments_updated']} "
            f"updated, {c['comments_unchanged']} unchanged",
            f"Pages: {c['pages_new']} new, {c['pages_updated']} updated, "
            f"{c['pages_unchanged']} unchanged",
            f"Images: {c['images_new']} new, {c['images_kept']} already here",
            f"History entries: {c['history']} new",
            f"Redirects: {c['redirects_new']} new, {c['redirects_kept']} kept",
            f"Authors: {c['authors']} ({c['authors_created']} accounts created, with no "
            "password until staff set one)",
        ]
        for title, rows in (
            ("Not imported (parts of imported articles)", self.not_imported),
            ("Skipped (not imported, with the reason)", self.skipped),
            ("Warnings (imported, with a change)", self.warnings),
        ):
            lines.append(f"{title}: {len(rows)}")
            lines += [f"  - {what}: {why}" for what, why in rows]
        return "\n".join(lines)
