"""docs/writing-checks.md shows the example plug-in's code as it is: the page and the tested code agree."""

from pathlib import Path

ROOT = Path(__file__).parents[2]


def test_the_guide_shows_the_tested_example_verbatim():
    guide = (ROOT / "docs" / "writing-checks.md").read_text()
    for name in ("remarks_phone.py", "pyproject.toml"):
        code = (ROOT / "examples" / "phone-rule" / name).read_text()
        assert code in guide, f"docs/writing-checks.md no longer shows examples/phone-rule/{name} as it is"
