"""`{% site_url "name" %}`: `{% url "name" %}` for an address without arguments, reversed once
per process (fitness.core.reversing)."""

from django import template

from fitness.core.reversing import reverse_cached

register = template.Library()


@register.simple_tag
def site_url(viewname):
    return reverse_cached(viewname)
