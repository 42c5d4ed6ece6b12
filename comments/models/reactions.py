"""
HelpfulMark: a reader found a comment helpful. No account: the reader is the random id in
their signed `comments_helpful` cookie (comments.readers.cookies), and their network is kept
only as a keyed hash (what flood control counts: an IPv4 address or an IPv6 /64), so that
clearing the cookie does not give one network more than COMMENTS_HELPFUL_PER_NETWORK marks on
a comment. The comment keeps the count (`Comment.helpful_count`): pages never count marks.
"""

from django.db import models


class HelpfulMark(models.Model):
    comment = models.ForeignKey(
        "comments.Comment", on_delete=models.CASCADE, related_name="helpful_marks"
    )
    reader = models.CharField(max_length=32)  # the cookie's random id, nothing else of them
    network = models.CharField(max_length=32)  # keyed hash of the network, not the address
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            # One mark per reader per comment, however fast they tap.
            models.UniqueConstraint(fields=["comment", "reader"], name="helpful_one_per_reader"),
        ]
        indexes = [
            models.Index(fields=["comment", "network"], name="helpful_network_idx"),
        ]

    def __str__(self):
        return f"helpful: comment {self.comment_id}"
