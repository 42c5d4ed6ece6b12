"""Text in and out: cleaning what readers type, the normal form duplicates are compared in, the
small Markdown a comment may use."""
