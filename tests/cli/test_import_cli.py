"""remarks import disqus|wordpress as a user runs it: counts printed, a rerun adds 0, a broken file is
one error line with where, exit 1, and nothing written."""

import os
import subprocess
import sys

from sqlalchemy import create_engine, text

from tests.services.exports import DISQUS_HEAD, small_wxr


def run(*args):
    return subprocess.run([sys.executable, "-m", "remarks.cli", *args], capture_output=True, text=True,
                          env=dict(os.environ), timeout=300)


def test_import_wordpress_twice_and_a_broken_disqus_file(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    (tmp_path / "wp.xml").write_text(small_wxr())
    r = run("import", "wordpress", str(tmp_path / "wp.xml"), "--db", url)
    assert r.returncode == 0, r.stderr
    assert "comments added: 5 (held 1, published 3, removed 1); already there: 0" in r.stdout
    r = run("import", "wordpress", str(tmp_path / "wp.xml"), "--db", url)
    assert r.returncode == 0 and "comments added: 0" in r.stdout and "already there: 5" in r.stdout
    (tmp_path / "broken.xml").write_text(DISQUS_HEAD + '<thread dsq:id="1"><id>a</id>\n</disqus>\n')
    r = run("import", "disqus", str(tmp_path / "broken.xml"), "--db", url)
    assert r.returncode == 1 and r.stderr.startswith("error: broken.xml: line 5, column 3") and "Traceback" not in r.stderr
    with create_engine(url).connect() as conn:
        assert conn.execute(text("select count(*) from comments")).scalar() == 5
