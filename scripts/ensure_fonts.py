"""Make sure the CJK font the tests draw Chinese text with is installed (Debian's ``fonts-wqy-microhei``).

Installs it with apt-get when missing and running as root (CI, a fresh machine); otherwise says what to run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
PACKAGE = "fonts-wqy-microhei"


def main() -> int:
    if FONT.exists():
        return 0
    apt = shutil.which("apt-get")
    if apt is None or os.geteuid() != 0:
        print(f"missing {FONT}: install it with `sudo apt-get install -y {PACKAGE}`", file=sys.stderr)
        return 1
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([apt, "update", "-qq"], check=True, stdout=subprocess.DEVNULL, env=env)
    subprocess.run([apt, "install", "-y", "-qq", PACKAGE], check=True, stdout=subprocess.DEVNULL, env=env)
    return 0 if FONT.exists() else 1


if __name__ == "__main__":
    sys.exit(main())
