"""
bench/storm.py's figures: what the readers recorded and the database stored, made into its
report (JSON), its targets (issue 29) and its Markdown table.
"""

from collections import Counter

from serving import ms, percentile

# nginx's X-Cache-Status values of an answer from its cache (anything else reached gunicorn).
FROM_CACHE = {"HIT", "STALE", "UPDATING", "REVALIDATED"}


def stale_for(approval, answers):
    """How long after the approval a reader could still get an answer that did not reflect it
    (the last such answer's start), and when the last reader's own poll first showed it."""
    at, version = approval["at"], approval["version"]
    last_stale, first_seen = 0.0, {}
    for reader, started, ended, seen in answers:
        if started < at:
            continue
        if seen < version:
            last_stale = max(last_stale, started - at)
        elif reader not in first_seen or ended < first_seen[reader]:
            first_seen[reader] = ended
    last_reader = max(first_seen.values()) - at if first_seen else None
    return last_stale, last_reader, len(first_seen)


def reads_by_kind(reads):
    """{kind: figures} for the reads (kind, seconds, X-Cache-Status) of each kind."""
    by_kind = {}
    for kind in ("page", "after post", "live"):
        seconds = [r[1] for r in reads if r[0] == kind]
        kind_reached = sum(1 for r in reads if r[0] == kind and r[2] not in FROM_CACHE)
        by_kind[kind] = {
            "reads": len(seconds),
            "reached_gunicorn_pct": round(100 * kind_reached / max(len(seconds), 1), 1),
            "p50_ms": ms(percentile(seconds, 0.5)),
            "p99_ms": ms(percentile(seconds, 0.99)),
        }
    return by_kind


def report(options, stats, texts, approvals, extra):
    """The run's figures (bench/storm.py's JSON report), from what the client recorded and
    what the database stored."""
    from comments.models import Comment

    stored = Counter(
        Comment.objects.filter(body__in=texts).values_list("body", flat=True).iterator()
    )
    outcomes = stats.outcomes
    refused = [t for t in texts if outcomes.get(t) == 400]
    lost = [t for t in texts if stored[t] == 0 and outcomes.get(t) != 400]
    statuses = Counter(str(outcomes.get(t, "not sent")) for t in texts)
    held = Counter(
        Comment.objects.filter(body__in=texts).values_list("status", "akismet_verdict").iterator()
    )
    reads = stats.reads
    reached = [r for r in reads if r[2] not in FROM_CACHE]
    seen = [stale_for(a, stats.answers) for a in approvals]
    return {
        **extra,
        "readers": options.readers,
        "returning_share": options.returning,
        "posts_sent": len(texts),
        "post_statuses": dict(statuses),
        "stored": sum(1 for t in texts if stored[t]),
        "refused": len(refused),
        "lost": len(lost),
        "lost_examples": [(t, outcomes.get(t)) for t in lost[:3]],
        "duplicated": sum(1 for t in texts if stored[t] > 1),
        "stored_as": {f"{s}/{v}": n for (s, v), n in held.items()},
        "errors": dict(stats.errors),
        "reads": len(reads),
        "reads_per_s": round(len(reads) / options.seconds, 1),
        "reached_gunicorn_pct": round(100 * len(reached) / max(len(reads), 1), 1),
        "cache_statuses": dict(Counter(r[2] for r in reads)),
        "read_p50_ms": ms(percentile([r[1] for r in reads], 0.5)),
        "read_p99_ms": ms(percentile([r[1] for r in reads], 0.99)),
        "reads_by_kind": reads_by_kind(reads),
        "mine_requests": len(stats.mine),
        "mine_p50_ms": ms(percentile(stats.mine, 0.5)),
        "mine_p99_ms": ms(percentile(stats.mine, 0.99)),
        "landings_lacking_the_comment": stats.landings["lacked"],
        "of_which_mine_brought_it": stats.landings["brought"],
        "post_p50_ms": ms(percentile(stats.posts, 0.5)),
        "post_p99_ms": ms(percentile(stats.posts, 0.99)),
        "approvals": len(approvals),
        "approved_comments": sum(a["comments"] for a in approvals),
        "stale_for_max_s": round(max((s[0] for s in seen), default=0.0), 2),
        "last_reader_saw_max_s": round(max((s[1] for s in seen if s[1] is not None), default=0), 2),
        "readers_who_saw_the_last_approval": seen[-1][2] if seen else 0,
    }


def targets(result):
    return {
        "≥ 95 % of reads from the shared cache": result["reached_gunicorn_pct"] <= 5,
        "read p99 ≤ 20 ms": (result["read_p99_ms"] or 0) <= 20,
        "post p99 ≤ 400 ms": (result["post_p99_ms"] or 0) <= 400,
        "0 lost": result["lost"] == 0,
        "0 duplicated": result["duplicated"] == 0,
        "every answer reflects an approval within 2 s": result["stale_for_max_s"] <= 2,
    }


def markdown(result):
    kinds = result["reads_by_kind"]
    lines = [
        f"{result['readers']:,} readers ({result['returning_share']:.0%} returning commenters), "
        f"{result['posts_sent']:,} posts sent over {result['seconds']} s (the last answered at "
        f"{result['posting_s']} s), Akismet {result['akismet_ms']}"
        f" ms; {result['topology']} (page workers' AKISMET_MAX_CONCURRENT "
        f"{result['akismet_max_concurrent']}); {result['database']} + {result['cache']}; "
        f"load {result['load_before']} before, "
        f"{result['load_after']} after",
        "",
        "| figure | value |",
        "|---|---|",
        f"| reads | {result['reads']:,} ({result['reads_per_s']}/s); X-Cache-Status "
        f"{result['cache_statuses']} |",
        f"| reads that reached gunicorn | {result['reached_gunicorn_pct']} % |",
        f"| read p50 / p99 | {result['read_p50_ms']} / {result['read_p99_ms']} ms |",
    ]
    for kind, figures in kinds.items():
        lines.append(
            f"| … {kind} | {figures['reads']:,} reads, {figures['reached_gunicorn_pct']} % to "
            f"gunicorn, p50 {figures['p50_ms']} / p99 {figures['p99_ms']} ms |"
        )
    lines += [
        f"| private requests (`mine`, not reads: each reaches gunicorn) | "
        f"{result['mine_requests']:,}, p50 {result['mine_p50_ms']} / p99 "
        f"{result['mine_p99_ms']} ms |",
        f"| landings that lacked the writer's comment / `mine` brought it | "
        f"{result['landings_lacking_the_comment']} / {result['of_which_mine_brought_it']} |",
        f"| post p50 / p99 | {result['post_p50_ms']} / {result['post_p99_ms']} ms |",
        f"| posts answered | {result['post_statuses']}; stored as {result['stored_as']} |",
        f"| lost / duplicated | {result['lost']} / {result['duplicated']} |",
        f"| approvals | {result['approvals']} ({result['approved_comments']} comments) |",
        f"| approval → every answer shows it | {result['stale_for_max_s']} s |",
        f"| approval → the last reader's poll saw it | {result['last_reader_saw_max_s']} s "
        f"(polls every {result['live_every_s']:g} s ± 20 %) |",
        f"| client errors | {result['errors'] or 0} |",
    ]
    return "\n".join(lines)
