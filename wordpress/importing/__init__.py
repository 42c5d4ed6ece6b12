"""
The parts of a WordPress import, one concern a module; `wordpress.importer.import_export` runs
them over the export's stream. From the top down (each imports only those below it):

    comments          a post's comments: threads, new or changed, saved in bulk, counted
    history           what WordPress recorded of a comment: status, Akismet, the trash
    authors, fields,  the export's authors as accounts; one comment's fields read and
    redirects         checked; the old site's addresses, kept as redirects
    terms             the export's categories and tags
    context, values   what one import shares (the old site, who, when); what WordPress's
                      values mean (dates, timestamps, numbers, emails)
    report            what was done, skipped and changed, in words
"""
