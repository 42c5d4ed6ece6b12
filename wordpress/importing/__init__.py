"""
The parts of a WordPress import, one concern a module; `wordpress.importer.import_export` runs
them over the export's stream. From the top down (each imports only those below it):

    comments, items   a post's comments: threads, new or changed, saved in bulk, counted;
                      posts and pages through one sequence (mapping, create or update)
    history           what WordPress recorded of a comment: status, Akismet, the trash
    authors, fields,  the export's authors as accounts; one comment's fields read and
    redirects         checked; the old site's addresses (its uploads' files, its ids of
                      categories and authors too), kept as redirects
    terms             the export's categories and tags
    context, values   what one import shares (the old site, who, when); what WordPress's
                      values mean (dates, timestamps, numbers, emails)
    report            what was done, skipped and changed, in words

The images of imported articles are placed by `wordpress.media.Library`.
"""
