"""The figures of issue 14's target table, measured on the checks as shipped (``remarks eval``).

- :mod:`.sets` — the test sets as rows with the context a check sees (never trained or tuned on);
- :mod:`.score` — scores rows through the installed checks, as the site does;
- :mod:`.targets` — the target table, each figure beside the previous release's;
- :mod:`.loso` — leave-one-source-out AUC for abuse and attack (the n-gram model; and the shipped model's
  recipe retrained per held-out source, `remarks eval --only loso-model`);
- :mod:`.calibrate` — per-rule calibrators and operating points fitted on validation data.
"""
