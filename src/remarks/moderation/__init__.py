"""The one moderation pipeline: context -> checks (batched) -> policy -> verdict.

Every door a comment comes in by (a post on the page or the API, the nudge before posting, a reader
report, an edit, an import, ``remarks moderate`` on an archive) runs the same phases and gets the same
verdict. See ``docs/architecture.md``.
"""
