"""
The parts of a WordPress import, one concern a module; `wordpress.importer.import_export` runs
them over the export's stream. From the top down (each imports only those below it):

    redirects         the old site's addresses, kept as redirects
    authors, terms    the export's authors as accounts; its categories and tags
    context, values   what one import shares (the old site, who, when); what WordPress's
                      values mean (dates, timestamps, numbers, emails)
    report            what was done, skipped and changed, in words
"""
