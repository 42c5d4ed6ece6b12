"""
Moving from WordPress: read a WXR export (`wxr`), import it (`importer`, which places comments
through `comments.posting`), write one (`exporter`). See docs/wordpress.md.
"""
