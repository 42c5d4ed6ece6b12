"""
An empty `?_to_field=` dropped before Django's admin reads it.

The admin takes `_to_field` (which field a related-object popup selects by) in its change and
delete views before anything else, and an empty one sends it looking for a field named "",
a 500 (`FieldDoesNotExist`) for any model, any object, whoever asks (tests/test_fuzz.py found
it). Empty, the parameter means nothing, so it is taken out of the query; a named field the
admin does not allow is still its own 400 (`DisallowedModelAdminToField`). Only the query
string: the body is not read here (as in control_characters.py).
"""

TO_FIELD = "_to_field"  # django.contrib.admin.options.TO_FIELD_VAR


class EmptyToFieldMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if TO_FIELD in request.GET and not "".join(request.GET.getlist(TO_FIELD)).strip():
            query = request.GET.copy()
            del query[TO_FIELD]
            query._mutable = False
            request.GET = query
        return self.get_response(request)
