"""`{% per_request %}...{% end_per_request %}`: a part of a page rendered for each request
when the rest comes from its shell (fitness.core.page_shells); in place otherwise."""

from django import template

from fitness.core.page_shells import MARKER, RECORDER

register = template.Library()


class PerRequestNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        recorder = context.get(RECORDER)
        if recorder is None:
            return self.nodelist.render(context)
        recorder.append(self)  # the shell is being rendered: the part is filled in later
        return MARKER


@register.tag
def per_request(parser, token):
    nodelist = parser.parse(("end_per_request",))
    parser.delete_first_token()
    return PerRequestNode(nodelist)
