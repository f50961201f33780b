"""The figures of issue 14's target table, measured on the checks as shipped (``remarks eval``).

- :mod:`.sets` — the test sets as rows with the context a check sees (never trained or tuned on);
- :mod:`.score` — scores rows through the installed checks, as the site does;
- :mod:`.targets` — the target table, each figure beside the previous release's;
- :mod:`.loso` — leave-one-source-out AUC for abuse and attack (n-gram model);
- :mod:`.calibrate` — per-rule calibrators and operating points fitted on validation data.
"""
